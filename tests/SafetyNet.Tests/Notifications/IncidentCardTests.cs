using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Api.Hubs;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Notifications;

/// <summary>
/// Wall screens subscribe to their agency's incidents as cards, batched: the list's and the map's fields, never the cameras,
/// grants, timeline or person; the whole view only for an incident the screen opens. Real SignalR clients on a real node.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentCardTests(IncidentNodeFixture fixture)
{
    private static readonly string[] ViewOnlyFields = ["cameras", "grants", "timeline", "context", "personCategory", "trail"];
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_wall_screen_gets_cards_under_the_same_numbers_as_whole_views_and_the_whole_view_of_the_incident_it_opens()
    {
        var operatorToken = await Node.TokenAsync("seoul-112", "card-wall", "operator");
        await using var wall = await Dashboard.ConnectAsync(Node, operatorToken);
        var batches = new List<JsonElement>();
        wall.Connection.On<JsonElement>("events", batch => { lock (batches) batches.Add(batch.Clone()); });
        await wall.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");
        await using var console = await Dashboard.ConnectAsync(Node, operatorToken);
        await console.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");

        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        var opened = await Node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779, externalReference = "112-card-1" });
        var id = opened.GetProperty("id").GetString()!;

        var (_, card) = await wall.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == id);
        var (_, view) = await console.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == id);
        foreach (var field in ViewOnlyFields) Assert.False(card.TryGetProperty(field, out _), $"a card carries no '{field}'");
        Assert.True(view.GetProperty("cameras").GetArrayLength() > 0);
        Assert.Equal(view.GetProperty("cameras").GetArrayLength(), card.GetProperty("cameraCount").GetInt32());
        Assert.Equal("112-card-1", card.GetProperty("externalReference").GetString());
        Assert.Equal("open", card.GetProperty("status").GetString());
        Assert.Equal(37.5663, card.GetProperty("position").GetProperty("latitude").GetDouble());
        Assert.Equal(view.GetProperty("agencies").Strings(), card.GetProperty("agencies").Strings());
        Assert.Equal(view.GetProperty("sequence").GetRawText(), card.GetProperty("sequence").GetRawText());
        Assert.True(card.GetRawText().Length * 5 < view.GetRawText().Length, $"a card ({card.GetRawText().Length} B) is a fraction of the view ({view.GetRawText().Length} B)");
        // The grant travels in the opening's message, as a count: the camera ids go to consoles, under the same number.
        var (_, wallGrant) = await wall.WaitForAsync("accessGranted", p => p.GetProperty("incidentId").GetString() == id);
        var (_, consoleGrant) = await console.WaitForAsync("accessGranted", p => p.GetProperty("incidentId").GetString() == id);
        Assert.False(wallGrant.TryGetProperty("cameraIds", out _), "a wall's grant carries no camera ids");
        Assert.Equal(consoleGrant.GetProperty("cameraIds").GetArrayLength(), wallGrant.GetProperty("cameraCount").GetInt32());
        Assert.Equal("seoul-112", wallGrant.GetProperty("agencyId").GetString());
        Assert.Equal(consoleGrant.GetProperty("expiresAt").GetString(), wallGrant.GetProperty("expiresAt").GetString());
        Assert.Equal(consoleGrant.GetProperty("sequence").GetRawText(), wallGrant.GetProperty("sequence").GetRawText());
        lock (batches)
            Assert.Contains(batches, b => b.EnumerateArray().Select(e => (Name: e.GetProperty("name").GetString(), Payload: e.GetProperty("payload")))
                .Where(e => IncidentOf(e.Payload) == id)
                .Select(e => e.Name).ToHashSet().SetEquals(["incidentOpened", "accessGranted"]));

        // The screen opens the incident: from now on its changes arrive as the card and as the whole view, under one number.
        await wall.Connection.InvokeAsync<JsonElement>("SubscribeIncident", id);
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/close", cad, new { reason = "resolved on scene" });
        Assert.True(status == 200, body);
        var (_, closedCard) = await wall.WaitForAsync("incidentClosed", p => p.GetProperty("id").GetString() == id && !p.TryGetProperty("timeline", out _));
        var (_, closedView) = await wall.WaitForAsync("incidentClosed", p => p.GetProperty("id").GetString() == id && p.TryGetProperty("timeline", out _));
        Assert.Equal(closedView.GetProperty("sequence").GetRawText(), closedCard.GetProperty("sequence").GetRawText());
        Assert.Equal(closedView.GetProperty("graceUntil").GetString(), closedCard.GetProperty("graceUntil").GetString());
        var closedEvents = wall.Events.Where(e => e.Name == "incidentClosed" && e.Payload.GetProperty("id").GetString() == id).ToArray();
        Assert.False(closedEvents[0].Payload.TryGetProperty("timeline", out _), "the card comes first, the whole view after it");
    }

    [Fact]
    public async Task A_node_batches_an_agencys_cards_only_while_a_wall_screen_of_it_is_connected_here()
    {
        var walls = Node.App.Services.GetRequiredService<WallScreens>();
        var token = await Node.TokenAsync("seoul-112", "counted-wall", "operator");
        await using var first = await Dashboard.ConnectAsync(Node, token);
        await first.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");
        await first.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards"); // a resync: still one screen
        var second = await Dashboard.ConnectAsync(Node, token);
        await second.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");
        Assert.True(walls.AnyFor("seoul-112"));

        // One screen leaving does not stop the other's batches.
        await second.DisposeAsync();
        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        var opened = await Node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = 37.5700, longitude = 126.9800 });
        var id = opened.GetProperty("id").GetString()!;
        await first.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == id);

        // Once the last screen unsubscribes (the resync counted once, the closed one left), nothing is batched for the agency.
        await first.Connection.InvokeAsync("UnsubscribeIncidents");
        await Eventually.WaitAsync(() => Task.FromResult(walls.AnyFor("seoul-112")), any => !any, TimeSpan.FromSeconds(10),
            "the node to count no wall screen of seoul-112");
    }

    [Fact]
    public async Task Cards_go_only_to_agencies_that_may_see_the_incident_and_never_name_the_sos_person()
    {
        var sos = await Node.TokenAsync("seoul-sos-center", "wearable-gateway", "dispatch-system");
        await using var sosWall = await Dashboard.ConnectAsync(Node, await Node.TokenAsync("seoul-sos-center", "sos-wall", "operator"));
        await sosWall.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");
        await using var fireWall = await Dashboard.ConnectAsync(Node, await Node.TokenAsync("seoul-119", "fire-wall", "operator"));
        await fireWall.Connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");

        var incident = await Node.OpenIncidentAsync(sos, new { type = "vulnerable-sos", latitude = 37.5660, longitude = 126.9910, personCategory = "dementia" });
        var id = incident.GetProperty("id").GetString()!;
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/trail", sos, new { latitude = 37.56605, longitude = 126.99105 });
        Assert.True(status == 200, body);

        // The SOS centre and the 119 centre both respond (police and fire are notified), and neither wall hears the person.
        await sosWall.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id);
        await fireWall.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id);
        foreach (var wall in new[] { sosWall, fireWall })
            Assert.All(wall.Events.Where(e => e.Payload.TryGetProperty("id", out var i) && i.GetString() == id),
                e => Assert.False(e.Payload.TryGetProperty("trail", out _) || e.Payload.TryGetProperty("personCategory", out _), "a card never names the person"));

        // A 112 incident, which the fire service does not respond to, opened before a 119 one: once the 119 wall has heard
        // the later incident, it has heard everything numbered before it, and not the 112 incident.
        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        var police = (await Node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = 37.55, longitude = 126.99 })).GetProperty("id").GetString()!;
        var fireDispatch = await Node.TokenAsync("seoul-119", "cad", "dispatch-system");
        var fire = (await Node.OpenIncidentAsync(fireDispatch, new { type = "119-dispatch", latitude = 37.56, longitude = 126.99 })).GetProperty("id").GetString()!;
        await fireWall.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == fire);
        Assert.DoesNotContain(fireWall.Events, e => e.Payload.TryGetProperty("id", out var i) && i.GetString() == police);
    }

    /// <summary>The incident an event is about (a card's id, a grant's incidentId); null for a heartbeat.</summary>
    private static string? IncidentOf(JsonElement payload) =>
        payload.TryGetProperty("id", out var id) ? id.GetString() : payload.TryGetProperty("incidentId", out var incident) ? incident.GetString() : null;

    [Theory]
    [InlineData("none")]
    [InlineData("forged")]
    public async Task A_wall_screen_without_a_valid_token_is_refused_before_it_can_subscribe(string kind)
    {
        var real = await Node.TokenAsync("seoul-112", "card-wall", "operator");
        // The same claims, the signature's last characters changed: as an insider who edited a token's agency would hold.
        var token = kind == "none" ? null : real[..^4] + (real[^4..] == "AAAA" ? "BBBB" : "AAAA");
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.Http.BaseAddress!, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult(token))
            .Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
