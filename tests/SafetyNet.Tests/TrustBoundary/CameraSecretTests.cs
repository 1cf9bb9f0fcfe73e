using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Issue 10 item 4: a camera's credentials are shown only to a platform admin and its own district's admin.</summary>
[Collection(TrustBoundaryNodeCollection.Name), Trait("Category", "Slow")]
public sealed class CameraSecretTests(TrustBoundaryNodeFixture fixture)
{
    private const string Secret = "S3cret!";
    private static readonly byte[] SecretBytes = Encoding.UTF8.GetBytes("S3cret");
    private TestNode Node => fixture.Node;

    private static void AssertNoSecret(byte[] body, string where) =>
        Assert.True(body.AsSpan().IndexOf(SecretBytes) < 0, $"{where} holds the camera's password: {Encoding.UTF8.GetString(body)}");

    private async Task<byte[]> BytesAsync(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        using var response = await Node.SendAsync(method, path, token, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return body;
    }

    [Fact]
    public async Task An_imported_password_reaches_no_response_of_dispatchers_operators_or_auditors_and_only_the_owners_see_it()
    {
        var id = TrustBoundaryNodeFixture.NewId("secret");
        var url = $"rtsp://admin:{Secret}@10.20.30.40:554/stream1";
        var districtAdmin = await Node.TokenAsync("control-jung", "admin-secret", "district-admin");
        var import = await fixture.ImportCsvAsync(districtAdmin,
            $"id,lat,lon,purpose,stream_url\n{id},{TrustBoundaryNodeFixture.Latitude},{TrustBoundaryNodeFixture.Longitude},crime-prevention,{url}\n" +
            $"{id}-bad,{TrustBoundaryNodeFixture.Latitude},{TrustBoundaryNodeFixture.Longitude},traffic,rtsp://admin:{Secret}@127.0.0.1/x\n");
        Assert.Equal(1, import.GetProperty("created").GetInt32());
        Assert.Equal(1, import.GetProperty("rejected").GetInt32());
        AssertNoSecret(Encoding.UTF8.GetBytes(import.GetRawText()), "the import answer and its errors");

        // The owners: its own district's admin and a platform admin see the URL as stored.
        var platformAdmin = await Node.TokenAsync("safetynet-ops", "root-secret", "platform-admin");
        foreach (var owner in new[] { districtAdmin, platformAdmin })
        {
            var camera = JsonDocument.Parse(await BytesAsync(HttpMethod.Get, $"/api/v1/cameras/{id}", owner)).RootElement;
            Assert.Equal(url, camera.GetProperty("streamUrl").GetString());
        }
        var patched = JsonDocument.Parse(await BytesAsync(HttpMethod.Patch, $"/api/v1/cameras/{id}", platformAdmin,
            JsonContent.Create(new { name = "City Hall east", status = "maintenance" }))).RootElement;
        Assert.Equal(url, patched.GetProperty("streamUrl").GetString());

        // Everyone else, including another district's admin, sees it without credentials.
        var (_, operatorToken) = await Node.SessionAsync("police-jung", "op-secret");
        var fireDispatch = await Node.TokenAsync("seoul-119", "cad-secret", "dispatch-system");
        var callers = new Dictionary<string, string>
        {
            ["fire dispatch system"] = fireDispatch,
            ["police operator"] = operatorToken,
            ["city-wide auditor"] = await Node.TokenAsync("seoul-audit", "auditor-secret", "auditor"),
            ["district privacy officer"] = await Node.TokenAsync("control-jung", "privacy-secret", "auditor"),
            ["other district's admin"] = await Node.TokenAsync("control-gangnam", "admin-secret", "district-admin"),
        };
        foreach (var (who, token) in callers)
        {
            var one = await BytesAsync(HttpMethod.Get, $"/api/v1/cameras/{id}", token);
            AssertNoSecret(one, $"GET camera as {who}");
            Assert.Equal("rtsp://***@10.20.30.40:554/stream1", JsonDocument.Parse(one).RootElement.GetProperty("streamUrl").GetString());
            AssertNoSecret(await BytesAsync(HttpMethod.Get, "/api/v1/cameras?district=11020&pageSize=20000", token), $"the camera list as {who}");
            AssertNoSecret(await BytesAsync(HttpMethod.Get, $"/api/v1/cameras/nearby?lat={TrustBoundaryNodeFixture.Latitude}&lon={TrustBoundaryNodeFixture.Longitude}&radius=300&limit=50", token),
                $"nearby as {who}");
        }

        // The ledger: the import and the change are there, without the password.
        foreach (var auditor in new[] { callers["city-wide auditor"], callers["district privacy officer"] })
        {
            var ledger = await BytesAsync(HttpMethod.Get, $"/api/v1/audit?camera={id}&pageSize=100", auditor);
            AssertNoSecret(ledger, "the audit trail");
            Assert.Contains("camera-change", Encoding.UTF8.GetString(ledger));
        }
        var newUrl = $"rtsp://admin:{Secret}2@10.20.30.41:554/stream1?token=abc";
        await BytesAsync(HttpMethod.Patch, $"/api/v1/cameras/{id}", districtAdmin, JsonContent.Create(new { streamUrl = newUrl, status = "online" }));
        var changes = await fixture.AuditAsync($"camera={id}&kind=camera-change");
        Assert.Contains(changes, c => c.GetProperty("entry").GetProperty("details").GetString()!.Contains("rtsp://***@10.20.30.41:554/stream1?token=***"));
        AssertNoSecret(Encoding.UTF8.GetBytes(string.Join("", changes.Select(c => c.GetRawText()))), "camera-change rows");

        // Dashboards and incidents: the status event of the camera and an incident at its place.
        await using (var board = await Dashboard.ConnectAsync(Node, operatorToken))
        {
            await board.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", "11020");
            await BytesAsync(HttpMethod.Patch, $"/api/v1/cameras/{id}", platformAdmin, JsonContent.Create(new { status = "maintenance" }));
            await board.WaitForAsync("cameraStatusChanged", p => p.GetProperty("cameraId").GetString() == id);
            Assert.All(board.Events, e => AssertNoSecret(Encoding.UTF8.GetBytes(e.Payload.GetRawText()), $"the {e.Name} event"));
        }
        await BytesAsync(HttpMethod.Patch, $"/api/v1/cameras/{id}", platformAdmin, JsonContent.Create(new { status = "online" }));
        var incident = await BytesAsync(HttpMethod.Post, "/api/v1/incidents", fireDispatch, JsonContent.Create(new
        {
            type = "119-dispatch", latitude = TrustBoundaryNodeFixture.Latitude, longitude = TrustBoundaryNodeFixture.Longitude, priority = 2,
            externalReference = TrustBoundaryNodeFixture.NewId("119-secret"),
        }));
        AssertNoSecret(incident, "the incident as opened");
        var incidentId = JsonDocument.Parse(incident).RootElement.GetProperty("id").GetString();
        AssertNoSecret(await BytesAsync(HttpMethod.Get, $"/api/v1/incidents/{incidentId}", fireDispatch), "the incident view");
        AssertNoSecret(await BytesAsync(HttpMethod.Get, "/api/v1/incidents", fireDispatch), "the incident list");
    }
}
