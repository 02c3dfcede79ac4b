// The stream overlay: ask every few seconds which question is being answered, and swap the card in place.
(function () {
  "use strict";
  var page = document.getElementById("overlay");
  var holder = document.getElementById("overlay-question");
  if (!page || !holder || !window.fetch) {
    return;
  }
  var url = page.getAttribute("data-url");
  var seconds = parseInt(page.getAttribute("data-poll-seconds"), 10) || 3;
  var shown = holder.innerHTML.trim();

  function refresh() {
    fetch(url, {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        var html = data.question ? data.question.html.trim() : "";
        if (html !== shown) {
          holder.innerHTML = html;  // rendered and escaped by the server's template
          shown = html;
        }
      })
      .catch(function () { /* the network dropped for a moment: keep the card, try again */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
