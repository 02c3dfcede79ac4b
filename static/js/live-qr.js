// The live QR screen: fetch the code of the current minute every few seconds and swap it in place.
(function () {
  "use strict";
  var page = document.getElementById("live-qr");
  var holder = document.getElementById("live-qr-image");
  if (!page || !holder || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = page.getAttribute("data-svg-url");
  var seconds = parseInt(page.getAttribute("data-poll-seconds"), 10) || 5;
  var shown = holder.innerHTML.trim();

  function swap(text) {
    var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    var svg = parsed.documentElement;
    if (!svg || svg.nodeName.toLowerCase() !== "svg" || parsed.getElementsByTagName("parsererror").length) {
      return;
    }
    holder.replaceChildren(document.importNode(svg, true));
    shown = text;
  }

  function refresh() {
    fetch(url, {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text && text.trim() !== shown) {
          swap(text.trim());
        }
      })
      .catch(function () { /* offline for a moment: keep the code on screen, try again next time */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }

  window.setTimeout(refresh, seconds * 1000);

  var button = document.getElementById("live-qr-fullscreen");
  if (button && document.documentElement.requestFullscreen) {
    button.hidden = false;
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () {});
    });
  }
}());
