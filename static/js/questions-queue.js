// The moderators' queue: fetch its rows every few seconds, and work it from the keyboard.
// j / k: next / previous question; a: approve; p: pin as now answering; o or Enter: open; r: reload.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  var rows = document.getElementById("queue-rows");
  var summary = document.getElementById("queue-summary");
  if (!queue || !rows) {
    return;
  }
  var url = queue.getAttribute("data-url");
  var seconds = parseInt(queue.getAttribute("data-poll-seconds"), 10) || 5;
  var selectedId = null;
  var shown = rows.innerHTML.trim();

  function rowList() {
    return Array.prototype.slice.call(rows.querySelectorAll("tr[data-id]"));
  }

  function select(row) {
    rowList().forEach(function (other) { other.classList.remove("selected"); });
    if (row) {
      row.classList.add("selected");
      row.focus({preventScroll: false});
      selectedId = row.getAttribute("data-id");
    }
  }

  function selected() {
    return selectedId ? rows.querySelector('tr[data-id="' + selectedId + '"]') : null;
  }

  function move(step) {
    var list = rowList();
    if (!list.length) {
      return;
    }
    var index = list.indexOf(selected());
    index = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
    select(list[index]);
  }

  function act(name) {
    var row = selected();
    if (!row) {
      return;
    }
    if (name === "open") {
      var link = row.querySelector('[data-action="open"]');
      if (link) {
        window.location.href = link.href;
      }
      return;
    }
    var form = row.querySelector('form[data-action="' + name + '"]');
    if (form) {
      form.submit();
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var keys = {j: function () { move(1); }, k: function () { move(-1); }, a: function () { act("approve"); },
                p: function () { act("pin"); }, o: function () { act("open"); }, Enter: function () { act("open"); },
                r: function () { window.location.reload(); }};
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  rows.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("tr[data-id]") : null;
    if (row) {
      select(row);
    }
  });

  function refresh() {
    if (!window.fetch || document.hidden) {
      window.setTimeout(refresh, seconds * 1000);
      return;
    }
    fetch(url, {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        if (summary) {
          summary.innerHTML = data.summary;  // rendered and escaped by the server's templates
        }
        var html = data.rows.trim();
        if (html !== shown) {
          rows.innerHTML = html;
          shown = html;
          var again = selected();
          if (again) {
            again.classList.add("selected");
          }
        }
      })
      .catch(function () { /* offline for a moment: keep the rows, try again */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
