#!/usr/bin/python3
"""A real RTSP server standing in for a CCTV camera (GStreamer RTSP server, H.264 over RTP).

Run with Debian's /usr/bin/python3: it needs python3-gi and gir1.2-gst-rtsp-server-1.0.
Prints "READY rtsp://127.0.0.1:PORT/PATH" (one line per path) once it listens, and exits
cleanly on SIGTERM or SIGINT.
"""
import argparse
import re
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554, help="TCP port to listen on (default 8554)")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--path", nargs="+", default=["camera"], help="one or more mount paths (default: camera)")
    parser.add_argument("--fps", type=int, default=15, help="frames per second; a keyframe is sent every second")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT (default 640x360)")
    args = parser.parse_args()
    if not re.fullmatch(r"\d+x\d+", args.size):
        parser.error("--size must look like 640x360")
    if args.fps < 1:
        parser.error("--fps must be at least 1")
    args.path = ["/" + p.strip("/") for p in args.path]
    return args


def pipeline_for(mount, fps, width, height):
    label = mount.strip("/").replace('"', "")
    # key-int-max = fps gives one keyframe per second, like a typical CCTV camera's 1 s GOP;
    # config-interval=-1 repeats SPS/PPS before every keyframe so late joiners can decode.
    return (
        f"( videotestsrc is-live=true pattern=ball "
        f"! video/x-raw,width={width},height={height},framerate={fps}/1 "
        f'! timeoverlay text="{label}" halignment=left valignment=top font-desc="Sans 18" '
        f"! videoconvert "
        f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bframes=0 "
        f"! video/x-h264,profile=baseline "
        f"! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )


def main():
    args = parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    Gst.init(None)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for mount in args.path:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline_for(mount, args.fps, width, height))
        # One encoder per mount shared by every client, as a real camera behaves: a new client
        # joins mid-GOP and waits for the next keyframe.
        factory.set_shared(True)
        mounts.add_factory(mount, factory)

    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f"ERROR cannot listen on {args.address}:{args.port}", file=sys.stderr, flush=True)
        return 1

    def stop():
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, stop)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, stop)

    for mount in args.path:
        print(f"READY rtsp://{args.address}:{server.get_bound_port()}{mount}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
