using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using SafetyNet.Contracts.Ptz;
using static SafetyNet.Grains.Ptz.OnvifSoap;

namespace SafetyNet.Grains.Ptz;

/// <summary>
/// The PTZ operations of one ONVIF device (Device GetCapabilities → Media GetProfiles → PTZ service), as published in the
/// ONVIF WSDLs. The service addresses and the first profile with a PTZ configuration are learnt once and kept.
/// </summary>
public sealed class OnvifPtzClient(HttpClient http, OnvifDeviceAddress device, TimeProvider clock, TimeSpan timeout)
{
    private (Uri Ptz, string Profile)? _session;

    public OnvifDeviceAddress Device => device;

    public async Task ContinuousMoveAsync(double pan, double tilt, double zoom, TimeSpan stopAfter, CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        await CallAsync(ptz, new XElement(Tptz + "ContinuousMove",
            new XElement(Tptz + "ProfileToken", profile),
            new XElement(Tptz + "Velocity",
                new XElement(Tt + "PanTilt", new XAttribute("x", Number(pan)), new XAttribute("y", Number(tilt))),
                new XElement(Tt + "Zoom", new XAttribute("x", Number(zoom)))),
            new XElement(Tptz + "Timeout", XmlConvert.ToString(stopAfter))), cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        await CallAsync(ptz, new XElement(Tptz + "Stop", new XElement(Tptz + "ProfileToken", profile),
            new XElement(Tptz + "PanTilt", "true"), new XElement(Tptz + "Zoom", "true")), cancellationToken);
    }

    public async Task GotoPresetAsync(string presetToken, CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        await CallAsync(ptz, new XElement(Tptz + "GotoPreset", new XElement(Tptz + "ProfileToken", profile), new XElement(Tptz + "PresetToken", presetToken)),
            cancellationToken);
    }

    public async Task GotoHomeAsync(CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        await CallAsync(ptz, new XElement(Tptz + "GotoHomePosition", new XElement(Tptz + "ProfileToken", profile)), cancellationToken);
    }

    public async Task<PtzPreset[]> GetPresetsAsync(CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        var answer = await CallAsync(ptz, new XElement(Tptz + "GetPresets", new XElement(Tptz + "ProfileToken", profile)), cancellationToken);
        return answer.Elements(Tptz + "Preset")
            .Select(p => new PtzPreset((string?)p.Attribute("token") ?? "", p.Element(Tt + "Name")?.Value ?? (string?)p.Attribute("token") ?? ""))
            .Where(p => p.Token.Length > 0)
            .ToArray();
    }

    /// <summary>The current pan and tilt in the generic space [-1, 1], and whether the camera is moving.</summary>
    public async Task<PtzPosition> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var (ptz, profile) = await SessionAsync(cancellationToken);
        var answer = await CallAsync(ptz, new XElement(Tptz + "GetStatus", new XElement(Tptz + "ProfileToken", profile)), cancellationToken);
        var status = answer.Element(Tptz + "PTZStatus") ?? throw new OnvifException("ONVIF GetStatus: the answer holds no PTZStatus.");
        var panTilt = status.Element(Tt + "Position")?.Element(Tt + "PanTilt");
        var moving = status.Element(Tt + "MoveStatus")?.Element(Tt + "PanTilt")?.Value.Trim();
        return new PtzPosition(Attribute(panTilt, "x"), Attribute(panTilt, "y"), string.Equals(moving, "MOVING", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(Uri Ptz, string Profile)> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { } known) return known;
        var capabilities = await CallAsync(device.Endpoint, new XElement(Tds + "GetCapabilities", new XElement(Tds + "Category", "All")), cancellationToken);
        var caps = capabilities.Element(Tds + "Capabilities");
        var ptzAddress = caps?.Element(Tt + "PTZ")?.Element(Tt + "XAddr")?.Value.Trim()
            ?? throw new OnvifException("ONVIF GetCapabilities: the device offers no PTZ service.");
        var mediaAddress = caps?.Element(Tt + "Media")?.Element(Tt + "XAddr")?.Value.Trim()
            ?? throw new OnvifException("ONVIF GetCapabilities: the device offers no Media service.");
        var profiles = await CallAsync(device.Service(mediaAddress), new XElement(Trt + "GetProfiles"), cancellationToken);
        var profile = profiles.Elements(Trt + "Profiles").FirstOrDefault(p => p.Element(Tt + "PTZConfiguration") is not null)?.Attribute("token")?.Value
            ?? throw new OnvifException("ONVIF GetProfiles: no media profile has a PTZ configuration.");
        _session = (device.Service(ptzAddress), profile);
        return _session.Value;
    }

    private async Task<XElement> CallAsync(Uri service, XElement body, CancellationToken cancellationToken)
    {
        try
        {
            return await OnvifSoap.CallAsync(http, service, device, body, clock.GetUtcNow(), timeout, cancellationToken);
        }
        catch (OnvifException e) when (e.NotAuthorized)
        {
            // The addresses may be stale too (a device replaced behind the same URL): learn them again next time.
            _session = null;
            throw;
        }
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static double Attribute(XElement? element, string name) =>
        double.TryParse((string?)element?.Attribute(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
}
