// Count a template's SMS parts while it is typed, as trainer/messaging/segments.py counts them: GSM 03.38 text
// takes 160 characters (153 a part when split), any other text (Devanagari) 70 (67 a part), in UTF-16 units.
(function () {
  "use strict";
  var script = document.currentScript;
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ" +
            "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";

  function length(text) {
    var units = 0, gsm = true;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (GSM.indexOf(ch) >= 0) { units += 1; }
      else if (EXTENDED.indexOf(ch) >= 0) { units += 2; }
      else { gsm = false; break; }
    }
    if (gsm) { return {unicode: false, units: units, segments: units <= 160 ? 1 : Math.ceil(units / 153)}; }
    units = text.length;  // JavaScript strings are UTF-16: one unit per BMP character, two for the others
    return {unicode: true, units: units, segments: units <= 70 ? 1 : Math.ceil(units / 67)};
  }

  function grouped(n) { return n.toLocaleString("en-IN"); }

  document.querySelectorAll("[data-sms-count-for]").forEach(function (output) {
    var input = document.getElementById(output.getAttribute("data-sms-count-for"));
    if (!input) { return; }
    function show() {
      var found = length(input.value);
      var text = script.getAttribute(found.segments === 1 ? "data-one" : "data-many")
        .replace("%(units)s", grouped(found.units)).replace("%(num)s", grouped(found.segments));
      output.textContent = found.unicode ? text + " · " + script.getAttribute("data-unicode") : text;
      output.setAttribute("data-segments", String(found.segments));
    }
    input.addEventListener("input", show);
    show();
  });
}());
