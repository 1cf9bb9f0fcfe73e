using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Cameras;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// A camera moved from address to address by its district keeps a pin for each it ever had; the pins are bounded, and the
/// one dropped for a new address is the one no connection asked for longest, never one the camera is reached at now.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CameraCertificatePinBoundTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_camera_keeps_at_most_its_bound_of_pins_and_drops_the_one_least_recently_asked_for()
    {
        var pins = fixture.Grains.GetGrain<ICameraCertificatePinGrain>($"pins-{Guid.NewGuid():N}");
        var addresses = Enumerable.Range(1, CameraCertificatePinGrain.MaxPins).Select(i => $"cam{i}.example:322").ToArray();
        foreach (var address in addresses) await pins.PinAsync(address, Fingerprint(address));
        // The camera's stream is still reached at its first address: each connection asks for that pin.
        var inUse = await pins.PinAsync(addresses[0], Fingerprint("someone else"));
        Assert.Equal(Fingerprint(addresses[0]), inUse.Sha256);

        var moved = await pins.PinAsync("cam-new.example:322", Fingerprint("cam-new"));

        Assert.Equal(Fingerprint("cam-new"), moved.Sha256);
        var held = (await pins.GetAsync()).Select(p => p.Authority).ToArray();
        Assert.Equal(CameraCertificatePinGrain.MaxPins, held.Length);
        Assert.Contains(addresses[0], held);
        Assert.DoesNotContain(addresses[1], held);
        Assert.Contains("cam-new.example:322", held);
    }

    private static string Fingerprint(string of) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(of)));
}
