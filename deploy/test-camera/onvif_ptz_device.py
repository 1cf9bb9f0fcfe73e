#!/usr/bin/python3
"""A small ONVIF PTZ device standing in for a PTZ camera's control plane (Python standard library only).

It answers SOAP 1.2 for the ONVIF Device service (GetCapabilities, GetServices), Media (GetProfiles) and PTZ
(ContinuousMove, Stop, GotoPreset, GotoHomePosition, GetPresets, GetStatus), and checks a WS-Security UsernameToken
(PasswordDigest = Base64(SHA1(nonce + created + password))) on every request. Bad credentials and unknown actions get a
SOAP Fault.

Imported by rtsp-test-camera.py (one PtzState whose position() moves the picture), or run alone:
    python3 deploy/test-camera/onvif_ptz_device.py --port 8080 --user admin --password secret
which prints "ONVIF http://127.0.0.1:PORT/onvif/device_service" once it listens and exits on SIGTERM or SIGINT.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import signal
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
TT = "http://www.onvif.org/ver10/schema"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TER = "http://www.onvif.org/ver10/error"

DEVICE_PATH = "/onvif/device_service"
MEDIA_PATH = "/onvif/media_service"
PTZ_PATH = "/onvif/ptz_service"
PROFILE_TOKEN = "profile_1"
HOME_PRESET = "home"
# How far a created timestamp may lie from this device's clock (ONVIF devices commonly allow a few minutes).
CREATED_TOLERANCE = datetime.timedelta(minutes=5)
# Full-speed continuous move crosses half the range per second.
RANGE_PER_SECOND = 0.5


def _clamp(value, low, high):
    return max(low, min(high, value))


class PtzState:
    """Pan and tilt in [-1, 1], zoom in [0, 1]; a continuous move integrates its velocity over time, clamped. Thread-safe."""

    def __init__(self, home=(0.0, 0.0), clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self._pan, self._tilt = float(home[0]), float(home[1])
        self._zoom = 0.0
        self._velocity = (0.0, 0.0, 0.0)
        self._since = clock()
        self._until = None
        self._presets = {HOME_PRESET: ("Home", self._pan, self._tilt)}

    def _settle(self):
        """Applies the current velocity up to now (or up to the move's timeout) and stops a timed-out move."""
        now = self._clock()
        end = now if self._until is None else min(now, self._until)
        elapsed = max(0.0, end - self._since)
        vx, vy, vz = self._velocity
        self._pan = _clamp(self._pan + vx * RANGE_PER_SECOND * elapsed, -1.0, 1.0)
        self._tilt = _clamp(self._tilt + vy * RANGE_PER_SECOND * elapsed, -1.0, 1.0)
        self._zoom = _clamp(self._zoom + vz * RANGE_PER_SECOND * elapsed, 0.0, 1.0)
        self._since = end
        if self._until is not None and now >= self._until:
            self._velocity, self._until = (0.0, 0.0, 0.0), None

    def continuous_move(self, x, y, zoom=0.0, timeout=None):
        """Moves at velocity (x, y[, zoom]) in [-1, 1] until stop() or, when given, timeout seconds."""
        with self._lock:
            self._settle()
            self._velocity = (_clamp(float(x), -1.0, 1.0), _clamp(float(y), -1.0, 1.0), _clamp(float(zoom), -1.0, 1.0))
            self._since = self._clock()
            self._until = None if timeout is None else self._since + float(timeout)

    def stop(self):
        with self._lock:
            self._settle()
            self._velocity, self._until = (0.0, 0.0, 0.0), None

    def goto(self, pan, tilt):
        with self._lock:
            self._settle()
            self._velocity, self._until = (0.0, 0.0, 0.0), None
            self._pan, self._tilt = _clamp(float(pan), -1.0, 1.0), _clamp(float(tilt), -1.0, 1.0)

    def goto_preset(self, token):
        """Goes to a preset; False when there is no such preset."""
        with self._lock:
            preset = self._presets.get(token)
        if preset is None:
            return False
        self.goto(preset[1], preset[2])
        return True

    def goto_home(self):
        self.goto_preset(HOME_PRESET)

    def set_preset(self, token, name, pan, tilt):
        with self._lock:
            self._presets[token] = (name, _clamp(float(pan), -1.0, 1.0), _clamp(float(tilt), -1.0, 1.0))

    def presets(self):
        """[(token, name, pan, tilt)], home first."""
        with self._lock:
            return [(token, *preset) for token, preset in self._presets.items()]

    def position(self):
        with self._lock:
            self._settle()
            return self._pan, self._tilt

    def zoom(self):
        with self._lock:
            self._settle()
            return self._zoom

    def moving(self):
        with self._lock:
            self._settle()
            return self._velocity != (0.0, 0.0, 0.0)


class SoapFault(Exception):
    def __init__(self, code, subcode, reason, status=400):
        super().__init__(reason)
        self.code, self.subcode, self.reason, self.status = code, subcode, reason, status


def _q(namespace, name):
    return f"{{{namespace}}}{name}"


def check_username_token(envelope, username, password, now=None):
    """Raises SoapFault unless the envelope carries a fresh UsernameToken for username with a correct PasswordDigest."""
    token = envelope.find(f"{_q(SOAP, 'Header')}/{_q(WSSE, 'Security')}/{_q(WSSE, 'UsernameToken')}")
    if token is None:
        raise SoapFault("Sender", "ter:NotAuthorized", "Sender not authorized: no WS-Security UsernameToken")
    user = token.findtext(_q(WSSE, "Username"))
    digest_element = token.find(_q(WSSE, "Password"))
    nonce_text = token.findtext(_q(WSSE, "Nonce"))
    created = token.findtext(_q(WSU, "Created"))
    if digest_element is None or digest_element.get("Type", DIGEST_TYPE) != DIGEST_TYPE or not nonce_text or not created:
        raise SoapFault("Sender", "ter:NotAuthorized", "Sender not authorized: a PasswordDigest, Nonce and Created are required")
    try:
        nonce = base64.b64decode(nonce_text, validate=True)
        created_at = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        raise SoapFault("Sender", "ter:NotAuthorized", "Sender not authorized: malformed Nonce or Created")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if created_at.tzinfo is None or abs(now - created_at) > CREATED_TOLERANCE:
        raise SoapFault("Sender", "ter:NotAuthorized", "Sender not authorized: Created is too far from the device's clock")
    expected = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
    if user != username or not hmac.compare_digest(expected, (digest_element.text or "").strip()):
        raise SoapFault("Sender", "ter:NotAuthorized", "Sender not authorized: wrong user name or password")


def _envelope(body_xml):
    return (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<env:Envelope xmlns:env="{SOAP}" xmlns:tt="{TT}" xmlns:tds="{TDS}" xmlns:trt="{TRT}" xmlns:tptz="{TPTZ}" xmlns:ter="{TER}">'
            f'<env:Body>{body_xml}</env:Body></env:Envelope>')


def _fault(fault):
    return _envelope(
        f'<env:Fault><env:Code><env:Value>env:{fault.code}</env:Value><env:Subcode><env:Value>{fault.subcode}</env:Value></env:Subcode></env:Code>'
        f'<env:Reason><env:Text xml:lang="en">{_escape(fault.reason)}</env:Text></env:Reason></env:Fault>')


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _float_attribute(element, name):
    if element is None or element.get(name) is None:
        return 0.0
    try:
        value = float(element.get(name))
    except ValueError:
        raise SoapFault("Sender", "ter:InvalidArgVal", f"{name} is not a number")
    if value != value or value < -1 or value > 1:
        raise SoapFault("Sender", "ter:InvalidArgVal", f"{name} must be in [-1, 1]")
    return value


def _duration_seconds(text):
    """A simple xs:duration such as PT1S or PT0.5S; None when absent."""
    if not text:
        return None
    text = text.strip()
    if not (text.startswith("PT") and text.endswith("S")):
        raise SoapFault("Sender", "ter:InvalidArgVal", "Timeout must be a duration in seconds, e.g. PT1S")
    try:
        return float(text[2:-1])
    except ValueError:
        raise SoapFault("Sender", "ter:InvalidArgVal", "Timeout must be a duration in seconds, e.g. PT1S")


def _require_profile(request):
    if request.findtext(_q(TPTZ, "ProfileToken")) != PROFILE_TOKEN:
        raise SoapFault("Sender", "ter:InvalidArgVal/ter:NoProfile", "The requested profile token does not exist")


class _Handlers:
    def __init__(self, state, base_url):
        self.state = state
        self.base_url = base_url

    def handle(self, path, request):
        key = (path, request.tag)
        table = {
            (DEVICE_PATH, _q(TDS, "GetCapabilities")): self.get_capabilities,
            (DEVICE_PATH, _q(TDS, "GetServices")): self.get_services,
            (MEDIA_PATH, _q(TRT, "GetProfiles")): self.get_profiles,
            (PTZ_PATH, _q(TPTZ, "ContinuousMove")): self.continuous_move,
            (PTZ_PATH, _q(TPTZ, "Stop")): self.stop,
            (PTZ_PATH, _q(TPTZ, "GotoPreset")): self.goto_preset,
            (PTZ_PATH, _q(TPTZ, "GotoHomePosition")): self.goto_home,
            (PTZ_PATH, _q(TPTZ, "GetPresets")): self.get_presets,
            (PTZ_PATH, _q(TPTZ, "GetStatus")): self.get_status,
        }
        handler = table.get(key)
        if handler is None:
            raise SoapFault("Sender", "ter:ActionNotSupported", f"The action {request.tag} is not supported at {path}")
        return handler(request)

    def get_capabilities(self, _request):
        return (f"<tds:GetCapabilitiesResponse><tds:Capabilities>"
                f"<tt:Device><tt:XAddr>{self.base_url}{DEVICE_PATH}</tt:XAddr></tt:Device>"
                f"<tt:Media><tt:XAddr>{self.base_url}{MEDIA_PATH}</tt:XAddr></tt:Media>"
                f"<tt:PTZ><tt:XAddr>{self.base_url}{PTZ_PATH}</tt:XAddr></tt:PTZ>"
                f"</tds:Capabilities></tds:GetCapabilitiesResponse>")

    def get_services(self, _request):
        services = [(TDS, DEVICE_PATH), (TRT, MEDIA_PATH), (TPTZ, PTZ_PATH)]
        return "<tds:GetServicesResponse>" + "".join(
            f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{self.base_url}{path}</tds:XAddr>"
            f"<tds:Version><tt:Major>2</tt:Major><tt:Minor>0</tt:Minor></tds:Version></tds:Service>" for ns, path in services
        ) + "</tds:GetServicesResponse>"

    def get_profiles(self, _request):
        return (f'<trt:GetProfilesResponse><trt:Profiles token="{PROFILE_TOKEN}" fixed="true"><tt:Name>main</tt:Name>'
                f'<tt:PTZConfiguration token="ptz_config_1"><tt:Name>ptz</tt:Name><tt:NodeToken>ptz_node_1</tt:NodeToken></tt:PTZConfiguration>'
                f'</trt:Profiles></trt:GetProfilesResponse>')

    def continuous_move(self, request):
        _require_profile(request)
        velocity = request.find(_q(TPTZ, "Velocity"))
        if velocity is None:
            raise SoapFault("Sender", "ter:InvalidArgVal", "Velocity is required")
        pan_tilt = velocity.find(_q(TT, "PanTilt"))
        zoom = velocity.find(_q(TT, "Zoom"))
        self.state.continuous_move(_float_attribute(pan_tilt, "x"), _float_attribute(pan_tilt, "y"), _float_attribute(zoom, "x"),
                                   _duration_seconds(request.findtext(_q(TPTZ, "Timeout"))))
        return "<tptz:ContinuousMoveResponse/>"

    def stop(self, request):
        _require_profile(request)
        self.state.stop()
        return "<tptz:StopResponse/>"

    def goto_preset(self, request):
        _require_profile(request)
        if not self.state.goto_preset(request.findtext(_q(TPTZ, "PresetToken"))):
            raise SoapFault("Sender", "ter:InvalidArgVal/ter:NoToken", "The requested preset token does not exist")
        return "<tptz:GotoPresetResponse/>"

    def goto_home(self, request):
        _require_profile(request)
        self.state.goto_home()
        return "<tptz:GotoHomePositionResponse/>"

    def get_presets(self, request):
        _require_profile(request)
        return "<tptz:GetPresetsResponse>" + "".join(
            f'<tptz:Preset token="{_escape(token)}"><tt:Name>{_escape(name)}</tt:Name>'
            f'<tt:PTZPosition><tt:PanTilt x="{pan:.4f}" y="{tilt:.4f}"/></tt:PTZPosition></tptz:Preset>'
            for token, name, pan, tilt in self.state.presets()
        ) + "</tptz:GetPresetsResponse>"

    def get_status(self, request):
        _require_profile(request)
        pan, tilt = self.state.position()
        moving = "MOVING" if self.state.moving() else "IDLE"
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (f'<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="{pan:.4f}" y="{tilt:.4f}"/>'
                f'<tt:Zoom x="{self.state.zoom():.4f}"/></tt:Position>'
                f'<tt:MoveStatus><tt:PanTilt>{moving}</tt:PanTilt><tt:Zoom>{moving}</tt:Zoom></tt:MoveStatus>'
                f'<tt:UtcTime>{now}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>')


MAX_REQUEST_BYTES = 64 * 1024


def serve_onvif(address, port, state, username, password):
    """Starts a thread serving ONVIF Device/Media/PTZ on http://address:port; returns the server (shutdown() stops it)."""
    server = ThreadingHTTPServer((address, port), BaseHTTPRequestHandler)
    base_url = f"http://{address}:{server.server_address[1]}"
    handlers = _Handlers(state, base_url)

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as cameras do; every answer has a Content-Length.
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
                if length <= 0 or length > MAX_REQUEST_BYTES:
                    raise SoapFault("Sender", "ter:InvalidArgVal", "The request body is missing or too large")
                try:
                    envelope = ET.fromstring(self.rfile.read(length))
                except ET.ParseError:
                    raise SoapFault("Sender", "ter:WellFormed", "The request is not well-formed XML")
                body = envelope.find(_q(SOAP, "Body"))
                if envelope.tag != _q(SOAP, "Envelope") or body is None or len(body) == 0:
                    raise SoapFault("Sender", "ter:WellFormed", "The request is not a SOAP 1.2 envelope")
                check_username_token(envelope, username, password)
                self._answer(200, _envelope(handlers.handle(self.path, body[0])))
            except SoapFault as fault:
                self._answer(fault.status, _fault(fault))

        def _answer(self, status, text):
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server.RequestHandlerClass = Handler
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="onvif", daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--preset", action="append", default=[], metavar="TOKEN=PAN,TILT", help="an extra preset, e.g. gate=0.5,-0.2")
    args = parser.parse_args()
    state = PtzState()
    for preset in args.preset:
        token, _, position = preset.partition("=")
        pan, _, tilt = position.partition(",")
        try:
            state.set_preset(token, token, float(pan), float(tilt))
        except ValueError:
            parser.error(f"--preset {preset}: expected TOKEN=PAN,TILT")
    try:
        server = serve_onvif(args.address, args.port, state, args.user, args.password)
    except OSError as e:
        print(f"cannot listen on {args.address}:{args.port}: {e}", file=sys.stderr)
        return 1
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print(f"ONVIF http://{args.address}:{server.server_address[1]}{DEVICE_PATH}", flush=True)
    stopped.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
