using System.Text.Json;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Cameras;

[GenerateSerializer, Alias("camera-certificate-pin-state")]
public sealed class CameraCertificatePinState
{
    [Id(1)] public List<CameraCertificatePin> Pins { get; set; } = [];
}

/// <summary>
/// Holds a camera's pinned certificates, one per host and port, sealed like all grain state: whoever can write the database
/// cannot swap in their own certificate's fingerprint. Learning a pin, refusing a certificate and forgetting a pin are each
/// written to the ledger, where the camera's district reads them. A camera keeps at most <see cref="MaxPins"/>: each address
/// its district ever gave it is pinned, and one moved from address to address would otherwise collect them without end.
/// </summary>
public sealed class CameraCertificatePinGrain(
    [PersistentState("camera-certificate-pin", StorageNames.Default)] IPersistentState<CameraCertificatePinState> state,
    IAuditLedger audit,
    TimeProvider clock,
    ILogger<CameraCertificatePinGrain> logger) : Grain, ICameraCertificatePinGrain
{
    /// <summary>The uplink learns and refuses; a person forgets.</summary>
    public const string NodeActor = "node";

    /// <summary>
    /// A camera is reached at two addresses at most (its stream, its ONVIF device); the rest are addresses it had. Past this
    /// many, learning a new pin drops the one least recently asked for, which a connection in use would have asked for lately.
    /// </summary>
    public const int MaxPins = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string CameraId => this.GetPrimaryKeyString();

    private List<CameraCertificatePin> Pins => state.State.Pins;

    /// <summary>When each pin was last asked for since this activation: pins not asked for since count from when they were learnt.</summary>
    private readonly Dictionary<string, DateTimeOffset> _askedAt = new(StringComparer.Ordinal);

    public ValueTask<CameraCertificatePin[]> GetAsync() => ValueTask.FromResult(Pins.ToArray());

    public async Task<CameraCertificatePin> PinAsync(string authority, string sha256)
    {
        _askedAt[authority] = clock.GetUtcNow();
        if (Held(authority) is { } held) return held;
        var pinned = new CameraCertificatePin(authority, sha256, clock.GetUtcNow());
        if (Pins.Count >= MaxPins)
        {
            var dropped = Pins.OrderBy(p => _askedAt.GetValueOrDefault(p.Authority, p.PinnedAt)).First();
            await SaveAsync([.. Pins.Where(p => p != dropped)], "certificate-pin-dropped", NodeActor, dropped);
            _askedAt.Remove(dropped.Authority);
        }
        await SaveAsync([.. Pins, pinned], "certificate-pinned", NodeActor, pinned);
        return pinned;
    }

    public async Task RefusedAsync(string authority, string sha256)
    {
        if (Held(authority) is not { } held || held.RefusedSha256 == sha256) return;
        logger.LogWarning("Camera {CameraId} at {Authority} presented certificate {Presented}, not the one pinned ({Pinned}): someone on the path, or a re-keyed camera",
            CameraId, authority, sha256, held.Sha256);
        await SaveAsync([.. Pins.Select(p => p == held ? held with { RefusedSha256 = sha256, RefusedAt = clock.GetUtcNow() } : p)], "certificate-refused", NodeActor,
            new { held.Authority, pinned = held.Sha256, presented = sha256 });
    }

    public async Task<CameraCertificatePin[]> ForgetAsync(string actor, string? authority)
    {
        var forgotten = Pins.Where(p => authority is null || p.Authority == authority).ToArray();
        if (forgotten.Length == 0) return [];
        await SaveAsync([.. Pins.Except(forgotten)], "certificate-pin-forgotten", actor, forgotten.Length == 1 ? forgotten[0] : forgotten);
        foreach (var pin in forgotten) _askedAt.Remove(pin.Authority);
        // A camera its relay took offline for the refused certificate comes back now, not at its next recheck.
        await GrainFactory.GetGrain<ICameraGrain>(CameraId).CheckAgainAsync();
        return forgotten;
    }

    private CameraCertificatePin? Held(string authority) => Pins.Find(p => p.Authority == authority);

    private async Task SaveAsync(List<CameraCertificatePin> pins, string reason, string actor, object details)
    {
        var before = state.State.Pins;
        state.State.Pins = pins;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not saved, so not in force: the next connection asks again.
            state.State.Pins = before;
            throw;
        }
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: reason, CameraId: CameraId, Actor: actor,
            Details: JsonSerializer.Serialize(details, Json)));
    }
}
