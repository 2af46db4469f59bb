// "Make a video of my digit": only when the page is served by `nnviz serve`. The drawing goes to
// the server as a PNG; manim renders the lesson's scenes for it, one request at a time; this panel
// shows the place in line and the progress, then plays the clips. Opened from a folder
// (file://) or a plain web host, the panel stays hidden and nothing here runs.
(function () {
  "use strict";

  const POLL_MS = 1000;
  const panel = document.getElementById("video-panel");
  if (!panel || !/^https?:$/.test(location.protocol)) return;

  const ahead = (n) => (n === 1 ? "1 video is" : `${n} videos are`);
  const el = (tag, props = {}, children = []) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };

  function build(info) {
    const scenes = info.scenes.join(" and ");
    const button = el("button", {
      id: "video-make", className: "primary", title: `V: render ${scenes} at 480p for the drawing`, textContent: "Make a video of my digit",
    });
    const thumb = el("img", { id: "video-thumb", alt: "the drawing sent", hidden: true });
    const bar = el("progress", { id: "video-progress", max: 1, hidden: true });
    const text = el("p", { id: "video-status", className: "note", textContent: `${scenes}, rendered by manim on this computer.` });
    const video = el("video", { id: "video", controls: true, muted: true, playsInline: true, preload: "auto", hidden: true });
    const clips = el("div", { id: "video-clips", className: "buttons", role: "group", ariaLabel: "Clips" });
    // No heading: the button says what the panel does, and the video must fit a 720-px-high screen.
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Your digit as a video");
    panel.replaceChildren(
      el("div", { className: "video-row" }, [button, thumb]),
      el("div", { className: "video-row", ariaLive: "polite" }, [bar, text]),
      clips,
      video,
    );
    panel.hidden = false;
    return { button, thumb, bar, text, video, clips };
  }

  function start(info) {
    const ui = build(info);
    let busy = false;
    let playlist = [];

    function say(message, progress) {
      ui.text.textContent = message;
      ui.bar.hidden = progress === undefined;
      if (progress === null) ui.bar.removeAttribute("value"); // indeterminate: how long is not known yet
      else if (progress !== undefined) ui.bar.value = progress;
    }

    function play(k) {
      const clip = playlist[k];
      if (!clip) return;
      ui.video.hidden = false;
      ui.video.src = clip.url;
      ui.video.dataset.clip = String(k);
      for (const [i, b] of [...ui.clips.querySelectorAll("button")].entries()) b.classList.toggle("current", i === k);
      ui.video.play().catch(() => {}); // a browser may refuse to start by itself: the controls remain
    }

    function showClips(status) {
      playlist = status.clips;
      const items = playlist.map((clip, k) => {
        const pick = el("button", { textContent: clip.scene, title: `play ${clip.scene}` });
        pick.addEventListener("click", () => play(k));
        const save = el("a", { href: clip.url, download: `${clip.scene}_my_digit.mp4`, textContent: "↓", title: `download ${clip.scene}.mp4` });
        return el("span", { className: "clip" }, [pick, save]);
      });
      ui.clips.replaceChildren(...items);
      play(0);
    }

    function report(status) {
      ui.thumb.title = `the drawing sent; nnviz reads it as ${status.prediction}`;
      if (status.state === "queued") {
        say(`In line: ${ahead(status.position)} ahead of yours.`, null);
      } else if (status.state === "rendering") {
        const step = status.animation === null ? "starting" :
          `animation ${status.animation + 1}${status.animations ? ` of ${status.animations}` : ""}`;
        say(`Rendering ${status.scene} (${status.scene_number} of ${status.scenes.length}), ${step}`, status.progress);
      } else if (status.state === "done") {
        const now = window.nnvizPage.state().prediction;
        const other = now !== status.prediction ? " (the video is of the drawing sent, not the one shown now)" : "";
        say(`Done in ${Math.round(status.seconds)} s: the network reads it as ${status.prediction}${other}.`);
      } else {
        say(status.error || "The render was stopped: the server is stopping.");
      }
    }

    async function follow(id) {
      for (;;) {
        let status;
        try {
          const r = await fetch(`api/videos/${id}`, { cache: "no-store" });
          if (!r.ok) throw new Error((await r.text()).trim());
          status = await r.json();
        } catch (e) {
          say(`Lost the server: ${e.message || e}. Is nnviz serve still running?`);
          return;
        }
        report(status);
        if (status.state === "done") showClips(status);
        if (status.state !== "queued" && status.state !== "rendering") return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }

    async function request() {
      if (busy) return;
      const page = window.nnvizPage;
      if (page.state().prediction === null) {
        say("Draw a digit first.");
        return;
      }
      busy = true;
      ui.button.disabled = true;
      try {
        const png = await page.drawingPNG();
        if (ui.thumb.src) URL.revokeObjectURL(ui.thumb.src);
        ui.thumb.src = URL.createObjectURL(png);
        ui.thumb.hidden = false;
        const palette = document.getElementById("palette");
        const query = palette ? `?palette=${encodeURIComponent(palette.value)}` : "";
        say("Sending the drawing…", null);
        const r = await fetch(`api/videos${query}`, { method: "POST", headers: { "Content-Type": "image/png" }, body: png });
        if (!r.ok) {
          say((await r.text()).trim());
          return;
        }
        const status = await r.json();
        report(status);
        await follow(status.id);
      } catch (e) {
        say(`Could not ask the server: ${e.message || e}`);
      } finally {
        busy = false;
        ui.button.disabled = false;
      }
    }

    ui.button.addEventListener("click", request);
    ui.video.addEventListener("ended", () => play(Number(ui.video.dataset.clip) + 1));
    document.addEventListener("keydown", (e) => {
      const t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey || t instanceof HTMLInputElement || t instanceof HTMLSelectElement) return;
      if (e.key === "v" || e.key === "V") {
        e.preventDefault();
        request();
      }
    });
  }

  async function connect() {
    try {
      const r = await fetch("api/info", { cache: "no-store" });
      if (!r.ok) return; // a static web host: no server behind the page
      const info = await r.json();
      if (info.server === "nnviz serve") start(info);
    } catch (e) {
      // no server: the page works as it does from a folder
    }
  }

  if (window.nnvizPage) connect();
  else document.addEventListener("nnviz-ready", connect, { once: true });
})();
