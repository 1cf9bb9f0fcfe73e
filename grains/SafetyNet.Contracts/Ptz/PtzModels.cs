namespace SafetyNet.Contracts.Ptz;

public enum PtzCommandKind
{
    Move,
    Stop,
    Preset,
    Home,
}

/// <summary>
/// One PTZ command: a continuous move at velocities <see cref="Pan"/>, <see cref="Tilt"/>, <see cref="Zoom"/> in [-1, 1]
/// (the camera keeps moving until a stop, or stops by itself after Ptz:MoveTimeout), a stop, a preset, or home.
/// </summary>
[GenerateSerializer, Immutable, Alias("ptz-command")]
public sealed record PtzCommand(
    [property: Id(0)] PtzCommandKind Kind,
    [property: Id(1)] double Pan = 0,
    [property: Id(2)] double Tilt = 0,
    [property: Id(3)] double Zoom = 0,
    [property: Id(4)] string? Preset = null);

[GenerateSerializer, Immutable, Alias("ptz-preset")]
public sealed record PtzPreset([property: Id(0)] string Token, [property: Id(1)] string Name);

/// <summary>Pan and tilt in ONVIF's generic space [-1, 1]; NaN when the camera did not say.</summary>
[GenerateSerializer, Immutable, Alias("ptz-position")]
public sealed record PtzPosition([property: Id(0)] double Pan, [property: Id(1)] double Tilt, [property: Id(2)] bool Moving);

/// <summary>Who holds a camera's PTZ lock and until when (it lapses then unless a command renews it). <see cref="Yours"/>: the caller's session.</summary>
[GenerateSerializer, Immutable, Alias("ptz-lock-view")]
public sealed record PtzLockView(
    [property: Id(0)] string AgencyId,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] bool Yours,
    [property: Id(3)] int Priority,
    [property: Id(4)] string? IncidentId);

/// <summary>
/// A camera's PTZ state as one caller sees it: whether the camera can be turned at all (an ONVIF device is registered), whether
/// the caller's lease carries the right, the lock, and the presets (known once the camera was asked).
/// </summary>
[GenerateSerializer, Immutable, Alias("ptz-view")]
public sealed record PtzView(
    [property: Id(0)] string CameraId,
    [property: Id(1)] bool Controllable,
    [property: Id(2)] bool MayControl,
    [property: Id(3)] PtzLockView? Lock,
    [property: Id(4)] PtzPreset[] Presets);

/// <summary>The answer to a PTZ request: the view after it, or a refusal with its reason (see <see cref="PtzRefusals"/>) and the lock in the way.</summary>
[GenerateSerializer, Immutable, Alias("ptz-outcome")]
public sealed record PtzOutcome(
    [property: Id(0)] PtzView? View,
    [property: Id(1)] string? Refusal = null,
    [property: Id(2)] PtzLockView? Holder = null)
{
    public static PtzOutcome Refused(string reason, PtzLockView? holder = null) => new(null, reason, holder);
}

/// <summary>Machine-readable reasons for a refused PTZ request; the API maps each to its status.</summary>
public static class PtzRefusals
{
    public const string NoLease = "ptz-no-lease";
    public const string NotGranted = "ptz-not-granted";
    public const string Locked = "ptz-locked";
    public const string NotLockHolder = "ptz-not-lock-holder";
    public const string NoDevice = "ptz-no-device";
    public const string UnknownPreset = "ptz-unknown-preset";

    private static readonly Dictionary<string, (int Status, string Text)> Meanings = new()
    {
        [NoLease] = (403, "PTZ needs this session's own open lease on this camera: open a lease first."),
        [NotGranted] = (403, "Turning a camera is a separate right: only a lease under an incident whose type grants PTZ carries it."),
        [Locked] = (409, "Another controller holds this camera's PTZ lock; an equal or lower priority does not take it over."),
        [NotLockHolder] = (409, "PTZ commands need this camera's PTZ lock: take it with POST .../ptz/lock first (it lapses after the lock timeout)."),
        [NoDevice] = (409, "This camera has no ONVIF device registered, so it cannot be turned; its district may add one (onvifUrl)."),
        [UnknownPreset] = (422, "The camera has no preset with this token; GET .../ptz lists its presets."),
    };

    public static int StatusOf(string reason) => Meanings.TryGetValue(reason, out var meaning) ? meaning.Status : 403;

    public static string Explain(string reason) => Meanings.TryGetValue(reason, out var meaning) ? meaning.Text : reason;
}
