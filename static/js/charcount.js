/* Live character count for fields with data-maxlength (suggestions/forms.py `_text`).
   Progressive: without JavaScript the limit is in the help text and the server says the rest.
   The count is announced politely to screen readers, and over the limit it says so in words
   (not only in colour). Nothing is ever cut. */
(function () {
  "use strict";
  function describe(field, counter) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(counter.id) < 0) { ids.push(counter.id); }
    field.setAttribute("aria-describedby", ids.join(" "));
  }
  function attach(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit) { return; }
    var lang = document.documentElement.lang || "zh-hans";
    var english = lang.indexOf("en") === 0;
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = field.id + "_count";
    counter.setAttribute("aria-live", "polite");
    field.parentNode.insertBefore(counter, field.nextSibling);
    describe(field, counter);
    function update() {
      var used = Array.from(field.value).length;
      var over = used - limit;
      if (over > 0) {
        counter.textContent = english
          ? used + " / " + limit + " characters: " + over + " too many, please shorten"
          : "已写 " + used + " 字，超出 " + over + " 字，请删减（最多 " + limit + " 字）";
        counter.classList.add("over");
      } else {
        counter.textContent = english
          ? used + " / " + limit + " characters, " + (limit - used) + " left"
          : "已写 " + used + " 字，还可写 " + (limit - used) + " 字（最多 " + limit + " 字）";
        counter.classList.remove("over");
      }
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-maxlength]"), attach);
  });
})();
