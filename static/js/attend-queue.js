/* The attendance marks a phone keeps while it has no network, in IndexedDB, shared by the page
   (attend.js) and its service worker (attend-sw.js). Each mark carries its one-time key: sent twice, by the
   page and by the worker, it is still recorded once. */
(function (scope) {
  "use strict";
  var NAME = "trainer-attendance", STORE = "marks", sending = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "key"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var done = db.transaction(STORE, mode), request = work(done.objectStore(STORE));
        done.oncomplete = function () { db.close(); resolve(request.result); };
        done.onerror = done.onabort = function () { db.close(); reject(done.error); };
      });
    });
  }

  function sendOne(mark, answers) {
    return fetch(mark.url, {method: "POST", body: new URLSearchParams(mark.body), credentials: "same-origin"})
      .then(function (response) {
        if (response.status >= 500) { return answers; }  // a server restarting: kept for the next try
        // Otherwise answered, whatever the answer: the server has judged the mark, and the page shows what it said.
        return response.text().then(function (text) {
          return run("readwrite", function (store) { return store.delete(mark.key); }).then(function () {
            answers.push({status: response.status, text: text});
            return answers;
          });
        });
      }, function () { return answers; });  // still no network: kept for the next try
  }

  scope.attendQueue = {
    add: function (mark) { return run("readwrite", function (store) { return store.put(mark); }); },
    all: function () { return run("readonly", function (store) { return store.getAll(); }); },
    /* Send every kept mark, oldest first; resolve to the server's answers to those it answered. */
    send: function () {
      if (sending) { return sending; }
      sending = scope.attendQueue.all().then(function (marks) {
        marks.sort(function (a, b) { return a.made - b.made; });
        return marks.reduce(function (previous, mark) {
          return previous.then(function (answers) { return sendOne(mark, answers); });
        }, Promise.resolve([]));
      }).finally(function () { sending = null; });
      return sending;
    }
  };
}(self));
