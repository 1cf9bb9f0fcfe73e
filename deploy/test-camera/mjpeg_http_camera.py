"""Motion JPEG over HTTP, as many older CCTV cameras serve it: multipart/x-mixed-replace, one JPEG a part, no timestamps.

Each client gets its own stream of the camera's frames (drawn when due, like the RTSP paths), encoded by GStreamer's
jpegenc. Imported by rtsp-test-camera.py only with --mjpeg-http-port.
"""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gi.repository import Gst

BOUNDARY = "frame"


class JpegEncoder:
    """I420 frames in, JPEG pictures out, one at a time (appsrc ! jpegenc ! appsink)."""

    def __init__(self, width, height):
        self._pipeline = Gst.parse_launch(
            f"appsrc name=raw format=time caps=video/x-raw,format=I420,width={width},height={height},framerate=0/1 "
            "! jpegenc quality=80 ! appsink name=jpeg sync=false max-buffers=1")
        self._raw = self._pipeline.get_by_name("raw")
        self._jpeg = self._pipeline.get_by_name("jpeg")
        self._pipeline.set_state(Gst.State.PLAYING)

    def encode(self, frame):
        self._raw.emit("push-buffer", Gst.Buffer.new_wrapped(frame))
        sample = self._jpeg.emit("try-pull-sample", 5 * Gst.SECOND)
        if sample is None:
            raise RuntimeError("jpegenc gave no picture within 5 s")
        buffer = sample.get_buffer()
        return buffer.extract_dup(0, buffer.get_size())

    def close(self):
        self._pipeline.set_state(Gst.State.NULL)


def serve_mjpeg(address, port, paths, picture_for, view_for, fps):
    """
    Serves http://address:port/PATH.mjpg for each RTSP path in a thread; returns the server.
    picture_for(path) gives a new Picture, view_for(path) the view whose position it shows.
    """
    served = {f"{path}.mjpg": path for path in paths}
    period = 1.0 / fps

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def do_GET(self):
            path = served.get(self.path)
            if path is None:
                self.send_error(404, "No such stream")
                return
            picture, view = picture_for(path), view_for(path)
            encoder = JpegEncoder(picture.width, picture.height)
            try:
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                due = time.monotonic()
                while True:
                    pan, tilt = view.position()
                    jpeg = encoder.encode(picture.frame(pan, tilt, time.time_ns() // 1_000_000))
                    self.wfile.write(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n".encode("ascii"))
                    self.wfile.write(jpeg)
                    self.wfile.write(b"\r\n")
                    self.wfile.flush()
                    due += period
                    late = time.monotonic() - due
                    if late < 0:
                        time.sleep(-late)
                    elif late > period:
                        due = time.monotonic()  # fell behind (a stalled machine): skip the missed frames
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client left
            finally:
                encoder.close()

    server = ThreadingHTTPServer((address, port), Handler)
    server.daemon_threads = True  # a client's stream ends with the process
    threading.Thread(target=server.serve_forever, name="mjpeg-http", daemon=True).start()
    return server
