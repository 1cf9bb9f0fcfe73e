#!/usr/bin/python3
"""A real RTSP server standing in for a CCTV camera (GStreamer RTSP server, H.264 over RTP; H.265 on --h265-path paths,
Motion JPEG on --mjpeg-path paths).

Each frame is drawn when it is due: a crop of a larger labelled grid (the crop follows the PTZ position), the path's
label and a clock on top, and at the bottom a row of black/white blocks encoding the frame's wall-clock time in Unix
milliseconds (see README.md, "Clock pattern").

Run with Debian's /usr/bin/python3: it needs python3-gi and gir1.2-gst-rtsp-server-1.0.
Prints "READY rtsp://127.0.0.1:PORT/PATH" (one line per path) once it listens, then with --onvif-port
"ONVIF http://127.0.0.1:PORT/onvif/device_service", then with --mjpeg-http-port "MJPEG http://127.0.0.1:PORT/PATH.mjpg"
(one line per path); exits cleanly on SIGTERM or SIGINT.
"""
import argparse
import re
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

from camera_picture import Picture, Scene  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554, help="TCP port to listen on (default 8554)")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--path", nargs="+", default=["camera"], help="one or more mount paths (default: camera)")
    parser.add_argument("--fps", type=int, default=15, help="frames per second; a keyframe is sent every second")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT (default 640x360)")
    parser.add_argument("--onvif-port", type=int, help="serve ONVIF PTZ on this port (0: a free one); PTZ moves the picture")
    parser.add_argument("--onvif-user", default="admin", help="ONVIF user name (default admin)")
    parser.add_argument("--onvif-password", help="ONVIF password (required with --onvif-port)")
    parser.add_argument("--ptz-path", nargs="+", help="the paths PTZ moves (default: all)")
    parser.add_argument("--h265-path", nargs="+", default=[], help="the paths sent as H.265 (HEVC), as many newer cameras do (default: none)")
    parser.add_argument("--mjpeg-path", nargs="+", default=[], help="the paths sent as Motion JPEG (RTP/JPEG), as many older cameras do (default: none)")
    parser.add_argument("--mjpeg-http-port", type=int,
                        help="also serve every path as Motion JPEG over HTTP (PATH.mjpg), as many older cameras do, on this port (0: a free one)")
    # Test hooks: start looking elsewhere than straight ahead, with or without ONVIF.
    parser.add_argument("--initial-pan", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--initial-tilt", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not re.fullmatch(r"\d+x\d+", args.size):
        parser.error("--size must look like 640x360")
    width, height = (int(v) for v in args.size.split("x"))
    if width < 128 or height < 96 or width % 2 or height % 2:
        parser.error("--size must be even and at least 128x96")
    args.width, args.height = width, height
    if args.fps < 1:
        parser.error("--fps must be at least 1")
    if args.onvif_port is not None and not args.onvif_password:
        parser.error("--onvif-port needs --onvif-password")
    if not (-1 <= args.initial_pan <= 1 and -1 <= args.initial_tilt <= 1):
        parser.error("--initial-pan and --initial-tilt must lie in [-1, 1]")
    args.path = ["/" + p.strip("/") for p in args.path]
    args.ptz_path = args.path if args.ptz_path is None else ["/" + p.strip("/") for p in args.ptz_path]
    if not set(args.ptz_path) <= set(args.path):
        parser.error("every --ptz-path must also be a --path")
    args.h265_path = ["/" + p.strip("/") for p in args.h265_path]
    args.mjpeg_path = ["/" + p.strip("/") for p in args.mjpeg_path]
    if not set(args.h265_path) | set(args.mjpeg_path) <= set(args.path):
        parser.error("every --h265-path and --mjpeg-path must also be a --path")
    if set(args.h265_path) & set(args.mjpeg_path):
        parser.error("a path is sent in one codec: not both --h265-path and --mjpeg-path")
    return args


class SharedByPath(GstRtspServer.RTSPMediaFactory):
    """A mount's one media for every client. GStreamer's default shares by port and path as the client wrote the URL, so
    clients that reach the camera through their own loopback forward (the node's uplinks) would each get an encoder."""

    def do_gen_key(self, url):
        return url.abspath


class FixedView:
    """The position of a camera without PTZ."""

    def __init__(self, pan=0.0, tilt=0.0):
        self._position = (pan, tilt)

    def position(self):
        return self._position


def codec_of(mount, args):
    return "h265" if mount in args.h265_path else "mjpeg" if mount in args.mjpeg_path else "h264"


def pipeline_for(mount, fps, width, height, codec="h264"):
    label = mount.strip("/").replace('"', "")
    # The frames come from FrameSource through appsrc; a late frame replaces an unsent one (leaky, 1 buffer) so the
    # picture never lags behind its own clock. key-int-max = fps gives one keyframe per second, like a typical CCTV
    # camera's 1 s GOP; config-interval=-1 repeats the parameter sets before every keyframe so late joiners can decode.
    # threads=1: zerolatency's sliced threads cut a frame into slices that ffmpeg's RTSP reader split into two half-decoded
    # keyframes.
    # Motion JPEG has no groups of pictures: every frame is a keyframe, sent with RTP/JPEG's static payload type 26.
    encode = {
        "h265": f"x265enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} "
                f'option-string="bframes=0:pools=1:frame-threads=1" ! video/x-h265,profile=main ! rtph265pay name=pay0 pt=96 config-interval=-1',
        "mjpeg": "jpegenc quality=80 ! rtpjpegpay name=pay0 pt=26",
        "h264": f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bframes=0 threads=1 "
                f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1",
    }[codec]
    return (
        f"( appsrc name=frames is-live=true format=time leaky-type=downstream max-buffers=1 "
        f"caps=video/x-raw,format=I420,width={width},height={height},framerate={fps}/1 "
        f'! textoverlay text="{label}" halignment=left valignment=top xpad=8 ypad=4 font-desc="Sans 13" '
        f"shaded-background=false ! {encode} )"
    )


class FrameSource:
    """Draws and pushes one frame per period into a media's appsrc, stamped with the wall clock just before drawing."""

    def __init__(self, appsrc, picture, view, fps):
        self._appsrc = appsrc
        self._picture = picture
        self._view = view
        self._period = 1.0 / fps
        self._stopped = threading.Event()
        threading.Thread(target=self._run, name="frames", daemon=True).start()

    def stop(self, *_):
        self._stopped.set()

    def _run(self):
        duration = int(self._period * Gst.SECOND)
        due = time.monotonic()
        while not self._stopped.is_set():
            due += self._period
            late = time.monotonic() - due
            if late < 0:
                self._stopped.wait(-late)
            elif late > self._period:
                due = time.monotonic()  # fell behind (a stalled machine): skip the missed frames
            clock = self._appsrc.get_clock()
            if clock is None:
                continue  # not playing yet
            pan, tilt = self._view.position()
            unix_ms = time.time_ns() // 1_000_000
            buffer = Gst.Buffer.new_wrapped(self._picture.frame(pan, tilt, unix_ms))
            buffer.pts = clock.get_time() - self._appsrc.get_base_time()
            buffer.duration = duration
            self._appsrc.emit("push-buffer", buffer)


def main():
    args = parse_args()
    Gst.init(None)
    scene = Scene(args.width, args.height)

    if args.onvif_port is not None:
        import onvif_ptz_device  # deploy/test-camera/onvif_ptz_device.py: only needed with PTZ

        ptz = onvif_ptz_device.PtzState()
        ptz.goto(args.initial_pan, args.initial_tilt)
    else:
        ptz = FixedView(args.initial_pan, args.initial_tilt)
    fixed = FixedView()

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for mount in args.path:
        factory = SharedByPath()
        factory.set_launch(pipeline_for(mount, args.fps, args.width, args.height, codec_of(mount, args)))
        # One encoder per mount shared by every client, as a real camera behaves: a new client
        # joins mid-GOP and waits for the next keyframe.
        factory.set_shared(True)
        view = ptz if mount in args.ptz_path else fixed

        def configure(_factory, media, view=view):
            source = FrameSource(media.get_element().get_by_name("frames"), Picture(scene), view, args.fps)
            media.connect("unprepared", source.stop)

        factory.connect("media-configure", configure)
        mounts.add_factory(mount, factory)

    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f"ERROR cannot listen on {args.address}:{args.port}", file=sys.stderr, flush=True)
        return 1
    onvif_url = None
    if args.onvif_port is not None:
        onvif = onvif_ptz_device.serve_onvif(args.address, args.onvif_port, ptz, args.onvif_user, args.onvif_password)
        onvif_url = f"http://{args.address}:{onvif.server_address[1]}{onvif_ptz_device.DEVICE_PATH}"

    mjpeg_urls = []
    if args.mjpeg_http_port is not None:
        import mjpeg_http_camera  # deploy/test-camera/mjpeg_http_camera.py: only needed with --mjpeg-http-port

        mjpeg = mjpeg_http_camera.serve_mjpeg(args.address, args.mjpeg_http_port, args.path, lambda _path: Picture(scene),
                                              lambda path: ptz if path in args.ptz_path else fixed, args.fps)
        mjpeg_urls = [f"http://{args.address}:{mjpeg.server_address[1]}{path}.mjpg" for path in args.path]

    def stop():
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, stop)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, stop)

    for mount in args.path:
        print(f"READY rtsp://{args.address}:{server.get_bound_port()}{mount}", flush=True)
    if onvif_url:
        print(f"ONVIF {onvif_url}", flush=True)
    for url in mjpeg_urls:
        print(f"MJPEG {url}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
