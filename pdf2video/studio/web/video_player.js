// A <video> fed from bytes (a Blob URL) or a URL, with clickable scene markers beneath.
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "p2v-player";
  const video = document.createElement("video");
  video.controls = true;
  video.muted = false;
  video.preload = "auto";
  const marks = document.createElement("div");
  marks.className = "p2v-marks";
  const save = document.createElement("a");
  save.className = "p2v-player-download";
  box.append(video, marks, save);
  el.appendChild(box);
  let blobUrl = null;

  let loads = 0;
  function load() {
    loads += 1;
    box.dataset.loads = String(loads);
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = null;
    const data = model.get("data");
    const url = model.get("url");
    if (data && data.byteLength > 0) {
      blobUrl = URL.createObjectURL(new Blob([data], { type: "video/mp4" }));
      video.src = blobUrl;
    } else if (url) {
      video.src = url;
    } else {
      video.removeAttribute("src");
    }
    box.dataset.loaded = video.src ? "yes" : "no";
    const name = model.get("download_name");
    save.style.display = video.src && name ? "" : "none";
    save.href = video.src || "#";
    save.download = name || "video.mp4";
    save.textContent = `Download ${name}`;
    if (video.src && model.get("autoplay")) {
      video.muted = true; // browsers only autoplay muted video
      video.play().catch(() => {});
    }
  }

  function drawMarks() {
    marks.replaceChildren();
    const total = model.get("duration") || 1;
    for (const mark of model.get("markers")) {
      const tick = document.createElement("button");
      tick.className = "p2v-mark";
      tick.style.left = `${(100 * mark.t) / total}%`;
      tick.title = mark.label;
      tick.textContent = "▲";
      tick.addEventListener("click", () => { video.currentTime = mark.t; });
      marks.appendChild(tick);
    }
  }

  // data-playing names the load that is playing, so a test can wait for the new video
  video.addEventListener("playing", () => { box.dataset.playing = String(loads); });
  model.on("change:data", load);
  model.on("change:url", load);
  model.on("change:download_name", load);
  model.on("change:markers", drawMarks);
  model.on("change:duration", drawMarks);
  load();
  drawMarks();
  return () => { if (blobUrl) URL.revokeObjectURL(blobUrl); };
}

export default { render };
