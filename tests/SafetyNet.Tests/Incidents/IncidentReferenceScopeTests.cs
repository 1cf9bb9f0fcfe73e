using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 10, item 3: an external reference belongs to the agency that issued it, and another agency's reuse of it reveals nothing.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentReferenceScopeTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Another_agencys_reuse_of_a_reference_opens_its_own_incident_and_learns_nothing_of_the_first()
    {
        var reference = $"119-2026-{Guid.NewGuid():N}";
        var fire = await Node.TokenAsync("seoul-119", "cad-119", "dispatch-system");
        var fireIncident = await Node.OpenIncidentAsync(fire, new
        {
            type = "119-dispatch", latitude = 37.5172, longitude = 127.0473, externalReference = reference,
            address = "Hak-dong-ro 426 (secret address)", description = "Kitchen fire, 3rd floor, elderly resident (secret description)",
        });
        var fireId = fireIncident.GetProperty("id").GetString()!;

        var sos = await Node.TokenAsync("seoul-sos-center", "sos-app", "dispatch-system");
        var (status, text) = await Node.PostAsync("/api/v1/incidents", sos, new { type = "vulnerable-sos", latitude = 37.6543, longitude = 127.0568, externalReference = reference });
        Assert.True(status == 201, $"{status}: {text}");
        var sosIncident = JsonDocument.Parse(text).RootElement;
        var sosId = sosIncident.GetProperty("id").GetString()!;
        Assert.NotEqual(fireId, sosId);
        foreach (var secret in new[] { fireId, "secret address", "secret description" }) Assert.DoesNotContain(secret, text);
        Assert.Empty(sosIncident.CameraIds().Intersect(fireIncident.CameraIds()));
        Assert.All(sosIncident.GetProperty("grants").EnumerateArray(), g => Assert.Equal(sosId, g.GetProperty("incidentId").GetString()));
        Assert.Equal("vulnerable-sos", sosIncident.GetProperty("type").GetString());

        using var peek = await Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{fireId}", sos);
        await ProblemAssert.IsProblemAsync(peek, 403);

        // Each agency's repeated POST still finds its own incident.
        Assert.Equal(fireId, (await Node.OpenIncidentAsync(fire, new { type = "119-dispatch", latitude = 37.5172, longitude = 127.0473, externalReference = reference }, 200)).GetProperty("id").GetString());
        var again = await Node.OpenIncidentAsync(sos, new { type = "vulnerable-sos", latitude = 37.6543, longitude = 127.0568, externalReference = reference }, 200);
        Assert.Equal(sosId, again.GetProperty("id").GetString());
        Assert.DoesNotContain("secret", again.GetRawText());
    }
}
