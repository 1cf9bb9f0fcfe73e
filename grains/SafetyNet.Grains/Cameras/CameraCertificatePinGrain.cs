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
    [Id(0)] public CameraCertificatePin? Pin { get; set; }
}

/// <summary>
/// Holds a camera's pinned certificate, sealed like all grain state: whoever can write the database cannot swap in their own
/// certificate's fingerprint. Learning a pin, refusing a certificate and forgetting a pin are each written to the ledger,
/// where the camera's district reads them.
/// </summary>
public sealed class CameraCertificatePinGrain(
    [PersistentState("camera-certificate-pin", StorageNames.Default)] IPersistentState<CameraCertificatePinState> state,
    IAuditLedger audit,
    TimeProvider clock,
    ILogger<CameraCertificatePinGrain> logger) : Grain, ICameraCertificatePinGrain
{
    /// <summary>The uplink learns and refuses; a person forgets.</summary>
    public const string NodeActor = "node";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string CameraId => this.GetPrimaryKeyString();

    public ValueTask<CameraCertificatePin?> GetAsync() => ValueTask.FromResult(state.State.Pin);

    public async Task<CameraCertificatePin> PinAsync(string authority, string sha256)
    {
        if (state.State.Pin is { } held && held.Authority == authority) return held;
        var pinned = new CameraCertificatePin(authority, sha256, clock.GetUtcNow());
        await SaveAsync(pinned, "certificate-pinned", NodeActor, pinned);
        return pinned;
    }

    public async Task RefusedAsync(string sha256)
    {
        if (state.State.Pin is not { } held || held.RefusedSha256 == sha256) return;
        logger.LogWarning("Camera {CameraId} presented certificate {Presented}, not the one pinned ({Pinned}): someone on the path, or a re-keyed camera",
            CameraId, sha256, held.Sha256);
        await SaveAsync(held with { RefusedSha256 = sha256, RefusedAt = clock.GetUtcNow() }, "certificate-refused", NodeActor,
            new { held.Authority, pinned = held.Sha256, presented = sha256 });
    }

    public async Task<CameraCertificatePin?> ForgetAsync(string actor)
    {
        if (state.State.Pin is not { } held) return null;
        await SaveAsync(null, "certificate-pin-forgotten", actor, held);
        return held;
    }

    private async Task SaveAsync(CameraCertificatePin? pin, string reason, string actor, object details)
    {
        state.State.Pin = pin;
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: reason, CameraId: CameraId, Actor: actor,
            Details: JsonSerializer.Serialize(details, Json)));
    }
}
