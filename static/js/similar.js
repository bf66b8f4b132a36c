/* The public opinion form: while the voter types, list items nearby that are already being
   handled (POST /api/v1/public/similar/), each with a button to follow it instead of filing
   the same matter again (the form then carries its code in the hidden "follow" field; the
   opinion is still recorded in full). No library, no CDN. */
(function () {
  "use strict";
  var box = document.getElementById("similar-items");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form") || document.querySelector("form.stacked");
  var title = document.getElementById("id_title");
  var content = document.getElementById("id_content");
  var follow = document.getElementById("id_follow");
  var list = box.querySelector("ul");
  var chosen = box.querySelector("[data-chosen]");
  var timer = null;
  var last = "";

  function body() {
    var data = { title: title.value.trim(), content: content ? content.value.trim() : "" };
    if (box.dataset.region) { data.region = box.dataset.region; }
    if (box.dataset.station) { data.station = Number(box.dataset.station); }
    if (box.dataset.deputy) { data.deputy = Number(box.dataset.deputy); }
    return data;
  }

  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = box.dataset.track.replace("CODE", encodeURIComponent(item.code));
      link.textContent = item.public_title;
      li.appendChild(link);
      li.appendChild(document.createTextNode("（" + item.status_label + " · " + item.created_on + "） "));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.textContent = box.dataset.followLabel;
      button.addEventListener("click", function () {
        follow.value = item.code;
        chosen.textContent = box.dataset.chosenLabel.replace("CODE", item.code);
        chosen.hidden = false;
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  function ask() {
    var data = body();
    var key = JSON.stringify(data);
    if (data.title.length < 4 || key === last) { return; }
    last = key;
    fetch(box.dataset.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: key,
      credentials: "omit"
    }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (items) {
      var labels = JSON.parse(box.dataset.statusLabels);
      items.forEach(function (item) { item.status_label = labels[item.status] || item.status; });
      render(items);
    }).catch(function () { /* the list is a help, never a condition of submitting */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 600);
  }

  title.addEventListener("input", later);
  if (content) { content.addEventListener("input", later); }
  if (form) {
    form.addEventListener("reset", function () { follow.value = ""; chosen.hidden = true; });
  }
})();
