// The upload form with a progress bar: posts the same form with XMLHttpRequest (the form
// also works without this script) and shows the result of every file.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = document.getElementById("files");
  var progress = document.getElementById("upload-progress");
  var statusLine = document.getElementById("upload-status");
  var submit = document.getElementById("upload-submit");
  var outcome = document.getElementById("upload-outcome");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 0;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? "alert" : "muted";
  }

  function showErrors(errors) {
    outcome.hidden = false;
    outcome.textContent = "";
    var box = el("div", null, "alert");
    box.id = "upload-errors";
    box.setAttribute("role", "alert");
    var list = el("ul");
    errors.forEach(function (e) { list.appendChild(el("li", e)); });
    box.appendChild(list);
    outcome.appendChild(box);
  }

  function showResults(data) {
    outcome.hidden = false;
    outcome.textContent = "";
    outcome.appendChild(el("h2", "Kết quả tải lên"));
    var table = el("table");
    table.id = "upload-results";
    var head = el("thead");
    var hr = el("tr");
    ["#", "Tệp", "Số trang", "Kết quả", "Ghi chú"].forEach(function (h) { hr.appendChild(el("th", h)); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el("tbody");
    data.files.forEach(function (f, i) {
      var tr = el("tr", null, "outcome-" + f.outcome);
      tr.setAttribute("data-file", String(i + 1));
      tr.setAttribute("data-outcome", f.outcome);
      tr.appendChild(el("td", i + 1));
      tr.appendChild(el("td", f.filename, "filename"));
      tr.appendChild(el("td", f.pages === null ? "" : f.pages));
      tr.appendChild(el("td", f.label || f.outcome, "outcome"));
      var note = el("td", f.outcome === "refused" ? f.message : "", "message");
      if (f.earlier_batch_url) {  // a file uploaded before: its pages are in that batch
        var earlier = el("a", "Xem trong lô " + f.earlier_batch, "earlier-batch");
        earlier.href = f.earlier_batch_url;
        note.appendChild(earlier);
      }
      tr.appendChild(note);
      body.appendChild(tr);
    });
    table.appendChild(body);
    outcome.appendChild(table);
    var p = el("p");
    if (data.batch_url) {
      var link = el("a", "Xem tình trạng xử lý của lô " + data.batch_id, "button");
      link.id = "batch-link";
      link.href = data.batch_url;
      p.appendChild(link);
    } else {  // every file was uploaded before: no new batch listing old pages again
      p.id = "nothing-new";
      p.className = "notice";
      p.textContent = "Không có tệp mới: mọi tệp đều đã được tải lên trước đây, nên không " +
        "tạo lô mới. Tình trạng các trang xem ở lô đã nhận tệp.";
    }
    outcome.appendChild(p);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (maxFiles && input.files.length > maxFiles) {
      say("Mỗi lần chỉ tải lên tối đa " + maxFiles + " tệp; bạn đã chọn " +
          input.files.length + " tệp. Hãy chia thành nhiều lần.", true);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    if (tokenMeta) { xhr.setRequestHeader("X-CSRF-Token", tokenMeta.getAttribute("content")); }
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        progress.max = e.total;
        progress.value = e.loaded;
        say("Đang tải lên: " + Math.floor(100 * e.loaded / e.total) + "%");
      }
    });
    xhr.upload.addEventListener("load", function () {
      progress.value = progress.max;
      say("Đã gửi xong, đang kiểm tra từng tệp…");
    });
    xhr.addEventListener("load", function () {
      submit.disabled = false;
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (ignored) { data = null; }
      if (xhr.status === 200 && data && data.files) {
        progress.value = progress.max;
        say("Hoàn tất.");
        showResults(data);
        input.value = "";  // the book details stay, for the next files of the same book
      } else if (data && data.errors) {
        say("Chưa tải lên được: hãy sửa các mục dưới đây.", true);
        showErrors(data.errors);
      } else if (xhr.status === 413) {
        say("Tổng dung lượng quá lớn. Hãy chia thành nhiều lần tải lên nhỏ hơn.", true);
      } else if (xhr.status === 401 || xhr.status === 403) {
        say("Phiên làm việc đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và đăng nhập lại.", true);
      } else {
        say("Tải lên không thành công (mã " + xhr.status + "). Hãy thử lại.", true);
      }
    });
    xhr.addEventListener("error", function () {
      submit.disabled = false;
      say("Mất kết nối với máy chủ. Hãy kiểm tra mạng rồi thử lại.", true);
    });
    submit.disabled = true;
    progress.value = 0;
    say("Bắt đầu tải lên…");
    xhr.send(new FormData(form));
  });
})();
