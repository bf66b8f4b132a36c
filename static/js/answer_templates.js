/* The reply step: "使用此模板" puts the filled template into the reply box (the officer edits
   it before sending). No library. */
(function () {
  "use strict";
  document.querySelectorAll("[data-answer-template]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById(button.dataset.target);
      var text = button.parentNode.querySelector(".template-text");
      if (!box || !text) { return; }
      if (box.value.trim() && !window.confirm(button.dataset.confirm || "替换已填写的答复内容？")) { return; }
      box.value = text.value;
      box.focus();
    });
  });
})();
