/* Small progressive enhancements of the flows (issue 14); every page works without them. */
(function () {
  "use strict";

  // "Copier le lien": copy the field's text, then submit as usual (the server records the share).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var selector = form.getAttribute && form.getAttribute("data-copy");
    if (!selector) return;
    var field = document.querySelector(selector);
    if (field && navigator.clipboard) {
      event.preventDefault();
      navigator.clipboard.writeText(field.value).then(function () { form.submit(); }, function () { form.submit(); });
    }
  });

  // Focus the first field in error (sign-up steps and other forms marked data-focus-error).
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("form[data-focus-error] [aria-invalid='true']");
    if (invalid) invalid.focus();
  });

  // A filter box above a long list of checkboxes (départements, languages): typing hides the
  // choices that do not contain the text (accents and case ignored); checked ones stay visible.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-filter-for]")) return;
    var list = document.getElementById(box.getAttribute("data-filter-for"));
    if (!list) return;
    var wanted = fold(box.value.trim());
    var shown = 0;
    list.querySelectorAll("label").forEach(function (label) {
      var input = label.querySelector("input") || document.getElementById(label.htmlFor);
      var match = !wanted || fold(label.textContent).indexOf(wanted) !== -1 || (input && input.checked);
      var item = label.closest("li") || label.parentElement;
      item.hidden = !match;
      if (match) shown += 1;
    });
    var status = document.getElementById(box.getAttribute("data-filter-for") + "-count");
    if (status) status.textContent = status.getAttribute("data-template").replace("%s", shown);
  });

  // Character counters under textareas with a limit (the limit is checked by the server, which
  // refuses a longer text with a message: nothing pasted is cut silently).
  function updateCounter(area) {
    var out = document.getElementById(area.id + "-count");
    if (!out) return;
    var max = parseInt(area.getAttribute("data-max"), 10);
    var n = area.value.length;
    out.textContent = out.getAttribute("data-template").replace("%n", n).replace("%max", max);
    out.classList.toggle("over", n > max);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-max]")) updateCounter(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-max]").forEach(updateCounter);
  });
})();
