/* The attendance form, enhanced where the phone runs scripts: each mark gets a one-time key and the moment
   it is made; a mark sent without network is kept on the phone (attend-queue.js) and sent when the network
   returns, on the 'online' event, on the next opening of a page of the flow, or by the service worker's
   Background Sync. The page says "saved on this phone" until the server's own answer replaces it. */
(function () {
  "use strict";
  var script = document.currentScript, queue = self.attendQueue, form = document.querySelector("form[data-mark]");
  var registration = null;

  function show(html) { document.open(); document.write(html); document.close(); }

  function newKey() {
    if (self.crypto.randomUUID) { return self.crypto.randomUUID(); }
    var bytes = self.crypto.getRandomValues(new Uint8Array(16)), hex = "";
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    bytes.forEach(function (byte) { hex += (byte + 256).toString(16).slice(1); });
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function hidden(name, value) {
    var input = form.elements[name];
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function saved() {
    var notice = document.getElementById("saved-on-phone");
    if (notice && form) { notice.hidden = false; form.hidden = true; }
  }

  function sendKept() {
    return queue.send().then(function (answers) {
      if (answers.length) { show(answers[answers.length - 1].text); return; }
      return queue.all().then(function (kept) { if (kept.length) { saved(); } });
    });
  }

  if ("serviceWorker" in navigator && script && script.dataset.worker) {
    navigator.serviceWorker.register(script.dataset.worker, {scope: script.dataset.scope})
      .then(function (ready) { registration = ready; }, function () {});
    navigator.serviceWorker.onmessage = function (event) {
      if (event.data && event.data.answer) { show(event.data.answer); }
    };
  }
  if (!queue || !self.indexedDB || !self.fetch) { return; }  // an old browser: the plain form, as without scripts

  if (form) {
    hidden("mark_key", newKey());
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var made = Date.now();
      hidden("made_at", String(made));
      var mark = {key: form.elements.mark_key.value, url: form.action, made: made,
                  body: new URLSearchParams(new FormData(form)).toString()};
      fetch(mark.url, {method: "POST", body: new URLSearchParams(mark.body), credentials: "same-origin"})
        .then(function (response) {
          if (response.status >= 500) { throw new Error("not answered"); }  // kept, as without network
          return response.text();
        })
        .then(show, function () {
          queue.add(mark).then(function () {
            saved();
            if (registration && registration.sync) { registration.sync.register("attendance-marks").catch(function () {}); }
          });
        });
    });
  }
  // One listener for the window, whichever page of the flow is showing (show() keeps the window).
  self.attendSendKept = sendKept;
  if (!self.attendListening) {
    self.attendListening = true;
    self.addEventListener("online", function () { self.attendSendKept(); });
  }
  sendKept();
}());
