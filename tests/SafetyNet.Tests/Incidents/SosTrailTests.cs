using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>Issue 11, item 10: an SOS incident says who called and follows the person; only those who respond see either.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class SosTrailTests(IncidentNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_sos_incident_carries_the_persons_category_and_follows_the_trail_with_cameras_and_responders()
    {
        var sos = await Node.TokenAsync("seoul-sos-center", "wearable-gateway", "dispatch-system");
        // A person with dementia wandering from Jung-gu (Euljiro) towards Jongno-gu.
        var incident = await Node.OpenIncidentAsync(sos, new { type = "vulnerable-sos", latitude = 37.5660, longitude = 126.9910, personCategory = "dementia" });
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal("dementia", incident.GetProperty("personCategory").GetString());
        var opening = Assert.Single(incident.GetProperty("trail").EnumerateArray());
        Assert.Equal(37.5660, opening.GetProperty("position").GetProperty("latitude").GetDouble());
        var police = await Node.TokenAsync("seoul-112", "sos-desk", "operator");
        await using var board = await Dashboard.ConnectAsync(Node, police);
        await board.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");

        // A few metres: the trail grows, the incident stays (no new camera selection for GPS jitter).
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/trail", sos, new { latitude = 37.56605, longitude = 126.99105, accuracyMeters = 8 });
        Assert.True(status == 200, body);
        var near = JsonDocument.Parse(body).RootElement;
        Assert.Equal(2, near.GetProperty("trail").GetArrayLength());
        Assert.Equal(37.5660, near.GetProperty("position").GetProperty("latitude").GetDouble());
        Assert.Equal(8, near.GetProperty("trail")[1].GetProperty("accuracyMeters").GetDouble());
        Assert.Equal("seoul-sos-center/wearable-gateway", near.GetProperty("trail")[1].GetProperty("reportedBy").GetString());
        await board.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id && p.GetProperty("trail").GetArrayLength() == 2);

        // Across into Jongno-gu: the incident follows, with its cameras and Jongno's police station.
        (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/trail", police, new { latitude = 37.5720, longitude = 126.9920 });
        Assert.True(status == 200, body);
        var moved = JsonDocument.Parse(body).RootElement;
        Assert.Equal("11010", moved.GetProperty("districtCode").GetString());
        Assert.Equal(37.5720, moved.GetProperty("position").GetProperty("latitude").GetDouble());
        Assert.Contains("police-jongno", moved.GetProperty("agencies").Strings());
        Assert.NotEqual(incident.CameraIds(), moved.CameraIds());
        Assert.Equal(3, moved.GetProperty("trail").GetArrayLength());
        Assert.Contains(moved.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "moved");

        // A late fix from between the two joins the trail in time order and moves nothing.
        var between = moved.GetProperty("trail")[1].GetProperty("at").GetDateTimeOffset().AddMilliseconds(1);
        (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/trail", sos, new { latitude = 37.5690, longitude = 126.9915, at = between });
        Assert.True(status == 200, body);
        var late = JsonDocument.Parse(body).RootElement;
        Assert.Equal(37.5690, late.GetProperty("trail")[2].GetProperty("position").GetProperty("latitude").GetDouble());
        Assert.Equal(37.5720, late.GetProperty("position").GetProperty("latitude").GetDouble());

        // Responders read it in full; the list never carries it.
        var station = await Node.TokenAsync("police-jongno", "desk", "operator");
        var read = await Node.GetJsonAsync($"/api/v1/incidents/{id}", station);
        Assert.Equal("dementia", read.GetProperty("personCategory").GetString());
        Assert.Equal(4, read.GetProperty("trail").GetArrayLength());
        var list = await Node.GetJsonAsync("/api/v1/incidents?type=vulnerable-sos", station);
        var row = Assert.Single(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.False(row.TryGetProperty("trail", out _));
        Assert.False(row.TryGetProperty("personCategory", out _));
    }

    [Fact]
    public async Task The_category_and_trail_are_withheld_from_every_agency_that_does_not_respond_over_http_and_signalr()
    {
        // A district control centre's operator opens it (this node lets control centres open SOS): until a supervisor
        // confirms, the SOS centre only reviews it, and sees neither who called nor where they went.
        var opener = await Node.TokenAsync("control-jung", "night-operator", "operator");
        var reviewer = await Node.TokenAsync("seoul-sos-center", "night-supervisor", "supervisor");
        await using var reviewerBoard = await Dashboard.ConnectAsync(Node, reviewer);
        await reviewerBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        await using var openerBoard = await Dashboard.ConnectAsync(Node, opener);
        await openerBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");

        var incident = await Node.OpenIncidentAsync(opener, new
        {
            type = "vulnerable-sos", latitude = 37.5636, longitude = 126.9976, personCategory = "woman-walking-home",
            justification = "caller on the line says she is being followed",
        });
        var id = incident.GetProperty("id").GetString()!;
        Assert.True(incident.GetProperty("pendingReview").GetBoolean());
        Assert.Equal("woman-walking-home", incident.GetProperty("personCategory").GetString());
        Assert.DoesNotContain("seoul-sos-center", incident.GetProperty("agencies").Strings());
        var (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/trail", opener, new { latitude = 37.5645, longitude = 126.9990 });
        Assert.True(status == 200, body);

        var reviewed = await Node.GetJsonAsync($"/api/v1/incidents/{id}", reviewer);
        Assert.False(reviewed.TryGetProperty("personCategory", out _));
        Assert.False(reviewed.TryGetProperty("trail", out _));
        var subscribed = await reviewerBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncident", id);
        Assert.False(subscribed.TryGetProperty("trail", out _));
        await reviewerBoard.WaitForAsync("incidentOpened", p => p.GetProperty("id").GetString() == id);
        await openerBoard.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id && p.GetProperty("trail").GetArrayLength() == 2);
        await reviewerBoard.WaitForAsync("incidentUpdated", p => p.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(reviewerBoard.Events, e => e.Payload.TryGetProperty("id", out var i) && i.GetString() == id
                                                         && (e.Payload.TryGetProperty("trail", out _) || e.Payload.TryGetProperty("personCategory", out _)));
        Assert.Contains("responding", await Node.RefusedAsync($"/api/v1/incidents/{id}/trail", reviewer, new { latitude = 37.5650, longitude = 126.9995 }, 403));
        var fire = await Node.TokenAsync("fire-jung", "crew", "operator");
        await Node.RefusedAsync($"/api/v1/incidents/{id}/trail", fire, new { latitude = 37.5650, longitude = 126.9995 }, 403);

        var auditor = await Node.TokenAsync("seoul-audit", "inspector", "auditor");
        Assert.Equal(2, (await Node.GetJsonAsync($"/api/v1/incidents/{id}", auditor)).GetProperty("trail").GetArrayLength());

        // Confirmed, the SOS centre responds and follows the person.
        (status, body) = await Node.PostAsync($"/api/v1/incidents/{id}/confirm", reviewer, new { note = "heard the call" });
        Assert.True(status == 200, body);
        var confirmed = JsonDocument.Parse(body).RootElement;
        Assert.Contains("seoul-sos-center", confirmed.GetProperty("agencies").Strings());
        Assert.Equal("woman-walking-home", confirmed.GetProperty("personCategory").GetString());
        Assert.Equal(2, confirmed.GetProperty("trail").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"type\":\"vulnerable-sos\",\"latitude\":37.5636,\"longitude\":126.9976,\"personCategory\":\"toddler\"}", "personCategory must be one of")]
    [InlineData("{\"type\":\"vulnerable-sos\",\"latitude\":37.5636,\"longitude\":126.9976,\"personCategory\":7}", "")]
    [InlineData("{\"type\":\"112-dispatch\",\"latitude\":37.5636,\"longitude\":126.9976,\"personCategory\":\"child\"}", "only for vulnerable-sos")]
    public async Task A_bad_or_misplaced_category_is_refused_with_400(string json, string expected)
    {
        var token = await Node.TokenAsync(json.Contains("112") ? "seoul-112" : "seoul-sos-center", "cad-bad", "dispatch-system");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task Bad_trail_points_are_refused_with_400_and_other_incidents_have_no_trail()
    {
        var sos = await Node.TokenAsync("seoul-sos-center", "cad-bad-trail", "dispatch-system");
        var id = (await Node.OpenIncidentAsync(sos, new { type = "vulnerable-sos", latitude = 37.5636, longitude = 126.9976, personCategory = "child" })).GetProperty("id").GetString()!;
        var path = $"/api/v1/incidents/{id}/trail";
        Assert.Contains("accuracyMeters", await Node.RefusedAsync(path, sos, new { latitude = 37.5640, longitude = 126.9980, accuracyMeters = -1 }, 400));
        Assert.Contains("future", await Node.RefusedAsync(path, sos, new { latitude = 37.5640, longitude = 126.9980, at = DateTimeOffset.UtcNow.AddHours(1) }, 400));
        Assert.Contains("before the incident", await Node.RefusedAsync(path, sos, new { latitude = 37.5640, longitude = 126.9980, at = DateTimeOffset.UtcNow.AddDays(-1) }, 400));
        Assert.Contains("outside Seoul", await Node.RefusedAsync(path, sos, new { latitude = 37.30, longitude = 127.10 }, 400));
        await Node.RefusedAsync(path, sos, new { latitude = 95.0, longitude = 126.9980 }, 400);

        var cad = await Node.TokenAsync("seoul-112", "cad-no-trail", "dispatch-system");
        var other = await Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.5636, longitude = 126.9976 });
        Assert.False(other.TryGetProperty("trail", out _));
        Assert.Contains("Only vulnerable-sos", await Node.RefusedAsync($"/api/v1/incidents/{other.GetProperty("id").GetString()}/trail", cad,
            new { latitude = 37.5640, longitude = 126.9980 }, 400));
    }
}
