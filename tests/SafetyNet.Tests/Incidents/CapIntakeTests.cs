using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Geo;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

[Collection(IncidentNodeCollection.Name)]
public sealed class CapIntakeTests(IncidentNodeFixture fixture)
{
    private static string Alert(string area, string status = "Actual", string msgType = "Alert", string? identifier = null, string references = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>{identifier ?? Guid.NewGuid().ToString("N")}</identifier>
          <sender>safety@seoul.go.kr</sender>
          <sent>2026-11-25T03:00:00+09:00</sent>
          <status>{status}</status>
          <msgType>{msgType}</msgType>
          <scope>Public</scope>
          {references}
          <info>
            <category>Met</category>
            <event>Flood</event>
            <urgency>Immediate</urgency>
            <severity>Severe</severity>
            <certainty>Observed</certainty>
            <headline>Flash flood at Dorimcheon</headline>
            <area>
              <areaDesc>Sillim-dong underpass</areaDesc>
              {area}
            </area>
          </info>
        </alert>
        """;

    private async Task<HttpResponseMessage> PostAsync(string xml, string agency = "seoul-disaster-room")
    {
        var token = await fixture.Node.TokenAsync(agency, "cap-gateway", "dispatch-system");
        return await fixture.Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", token, new StringContent(xml, Encoding.UTF8, "application/xml"));
    }

    private async Task<HttpResponseMessage> PostBytesAsync(byte[] body, string contentType)
    {
        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        return await fixture.Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", token, KoreanEncoding.Body(body, contentType));
    }

    private static string KoreanAlert(string declaredEncoding) => Alert("<circle>37.4842,126.9297 0.8</circle>")
        .Replace("encoding=\"UTF-8\"", $"encoding=\"{declaredEncoding}\"").Replace("Flash flood at Dorimcheon", "도림천 급류, 신림동 지하차도 통제");

    [Theory]
    [InlineData("EUC-KR", "application/xml")]
    [InlineData("UTF-8", "application/xml; charset=euc-kr")]
    [InlineData("ks_c_5601-1987", "text/xml")]
    public async Task An_alert_in_EUC_KR_named_by_its_declaration_or_its_media_type_keeps_its_Korean_text(string declared, string contentType)
    {
        using var response = await PostBytesAsync(KoreanEncoding.Cp949(KoreanAlert(declared)), contentType);
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("도림천 급류, 신림동 지하차도 통제", incident.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("EUC-KR", "application/xml")]
    [InlineData("UTF-8", "application/cap+xml; charset=cp949")]
    [InlineData("windows-949", "text/xml")]
    public async Task An_alert_in_UTF_8_declared_EUC_KR_keeps_its_Korean_text(string declared, string contentType)
    {
        using var response = await PostBytesAsync(Encoding.UTF8.GetBytes(KoreanAlert(declared)), contentType);
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("도림천 급류, 신림동 지하차도 통제", incident.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("UTF-8", "application/xml", "not valid UTF-8")]
    [InlineData("EUC-KR", "application/xml; charset=utf-8", "not valid UTF-8")]
    [InlineData("Shift_JIS", "application/xml", "UTF-8 or EUC-KR")]
    public async Task An_alert_whose_bytes_are_not_its_charset_is_refused_rather_than_read_as_replacement_characters(string declared, string contentType, string expected)
    {
        using var response = await PostBytesAsync(KoreanEncoding.Cp949(KoreanAlert(declared)), contentType);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task A_utf8_alert_with_a_byte_order_mark_opens()
    {
        using var response = await PostBytesAsync([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(KoreanAlert("UTF-8"))], "application/xml");
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Contains("도림천", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString());
    }

    // As Korean alerts name their area: districts by administrative code (geocode) or by name (areaDesc), no shape.
    [Theory]
    [InlineData("<areaDesc>서울특별시 관악구</areaDesc><geocode><valueName>G_CODE</valueName><value>1162000000</value></geocode>", 37.464419, 126.948066, 3081)]
    [InlineData("<areaDesc>서울특별시 관악구 신림동</areaDesc>", 37.464419, 126.948066, 3081)]
    [InlineData("<areaDesc>동대문구 일대</areaDesc><geocode><valueName>G_CODE</valueName><value>1123000000</value></geocode>", 37.5792, 127.057416, 2145)]
    [InlineData("<areaDesc>Gwanak-gu, Dongjak-gu</areaDesc>", 37.4806345, 126.9512085, 4905)]
    public async Task An_alert_naming_districts_instead_of_a_shape_opens_over_them(string areaXml, double latitude, double longitude, double radius)
    {
        using var response = await PostAsync(Alert("").Replace("<areaDesc>Sillim-dong underpass</areaDesc>", areaXml));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(latitude, incident.GetProperty("position").GetProperty("latitude").GetDouble(), 5);
        Assert.Equal(longitude, incident.GetProperty("position").GetProperty("longitude").GetDouble(), 5);
        Assert.Equal(radius, incident.GetProperty("radiusMeters").GetDouble(), 0);
    }

    // An alert may give several areas, and an area several circles or polygons; the incident covers all of them. An area
    // naming no place served here (a neighbouring city's district) adds nothing.
    [Theory]
    [InlineData("two-areas")]
    [InlineData("two-circles")]
    [InlineData("with-a-district-elsewhere")]
    public async Task An_alert_giving_several_places_opens_over_all_of_them(string kind)
    {
        GeoPoint dorimcheon = new(37.4842, 126.9297), daerim = new(37.4930, 126.8950);
        var areas = kind switch
        {
            "two-areas" => "<circle>37.4842,126.9297 0.5</circle></area><area><areaDesc>Daerim-dong</areaDesc><circle>37.4930,126.8950 0.5</circle>",
            "two-circles" => "<circle>37.4842,126.9297 0.5</circle><circle>37.4930,126.8950 0.5</circle>",
            _ => "<circle>37.4842,126.9297 0.5</circle></area><area><areaDesc>경기도 광명시</areaDesc><geocode><valueName>G_CODE</valueName><value>4121000000</value></geocode>"
                + "</area><area><areaDesc>Daerim-dong</areaDesc><circle>37.4930,126.8950 0.5</circle>",
        };
        using var response = await PostAsync(Alert(areas));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        var center = new GeoPoint(incident.GetProperty("position").GetProperty("latitude").GetDouble(), incident.GetProperty("position").GetProperty("longitude").GetDouble());
        Assert.Equal((dorimcheon.Latitude + daerim.Latitude) / 2, center.Latitude, 6);
        Assert.Equal((dorimcheon.Longitude + daerim.Longitude) / 2, center.Longitude, 6);
        Assert.Equal(GeoMath.DistanceMeters(center, dorimcheon) + 500, incident.GetProperty("radiusMeters").GetDouble(), 0);
        Assert.True(GeoMath.DistanceMeters(center, daerim) + 500 <= incident.GetProperty("radiusMeters").GetDouble() + 1);
    }

    // Korean alerts carry one <info> block per language. The incident covers every block's areas, at the highest severity any
    // block gives, and reads in Korean.
    [Fact]
    public async Task An_alert_in_two_languages_covers_every_blocks_area_at_its_highest_severity_and_reads_in_Korean()
    {
        GeoPoint dorimcheon = new(37.4842, 126.9297), daerim = new(37.4930, 126.8950);
        var english = "<language>en-US</language><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Moderate</severity>"
            + "<certainty>Observed</certainty><headline>Flash flood at Dorimcheon</headline><area><areaDesc>Sillim-dong</areaDesc><circle>37.4842,126.9297 0.5</circle></area>";
        var korean = "<language>ko-KR</language><category>Met</category><event>홍수</event><urgency>Immediate</urgency><severity>Extreme</severity>"
            + "<certainty>Observed</certainty><headline>도림천 급류</headline><area><areaDesc>신림동</areaDesc><circle>37.4842,126.9297 0.5</circle></area>"
            + "<area><areaDesc>대림동</areaDesc><circle>37.4930,126.8950 0.5</circle></area>";
        var identifier = Guid.NewGuid().ToString("N");
        var alert = Alert("<circle>37.4842,126.9297 0.5</circle>", identifier: identifier);
        var twoBlocks = alert[..alert.IndexOf("<info>", StringComparison.Ordinal)] + $"<info>{english}</info><info>{korean}</info></alert>";

        using var response = await PostAsync(twoBlocks);

        var incident = await IncidentAsync(response, 201);
        Assert.Equal(1, incident.GetProperty("priority").GetInt32());
        Assert.StartsWith("도림천 급류", incident.GetProperty("description").GetString());
        var center = new GeoPoint(incident.GetProperty("position").GetProperty("latitude").GetDouble(), incident.GetProperty("position").GetProperty("longitude").GetDouble());
        Assert.Equal((dorimcheon.Latitude + daerim.Latitude) / 2, center.Latitude, 6);
        Assert.True(GeoMath.DistanceMeters(center, daerim) + 500 <= incident.GetProperty("radiusMeters").GetDouble() + 1);

        // An update all clear in one language only is not all clear.
        var update = Alert("<circle>37.4842,126.9297 0.5</circle>", msgType: "Update", references: References(identifier));
        var halfClear = update[..update.IndexOf("<info>", StringComparison.Ordinal)]
            + $"<info><responseType>AllClear</responseType>{english}</info><info><responseType>Monitor</responseType>{korean}</info></alert>";
        using var updated = await PostAsync(halfClear);
        Assert.Equal("open", (await IncidentAsync(updated, 200)).GetProperty("status").GetString());
    }

    // A whole city's alert (heavy rain for all of Seoul) is not an incident: access is opened around places, not a city. The
    // situation room is shown it as a notice instead, and the gateway is told so (202).
    [Theory]
    [InlineData("<areaDesc>서울특별시 전체</areaDesc>", "서울특별시 전체")]
    [InlineData("<areaDesc>서울특별시</areaDesc><geocode><valueName>G_CODE</valueName><value>1100000000</value></geocode>", "서울특별시")]
    [InlineData("<areaDesc>경기도</areaDesc>", "경기도")]
    [InlineData("<areaDesc>서울특별시 전체</areaDesc></area><area><areaDesc>경기도 전체</areaDesc>", "서울특별시 전체, 경기도 전체")]
    public async Task An_alert_for_a_whole_city_or_province_is_shown_as_a_notice_and_opens_no_access(string areaXml, string area)
    {
        var identifier = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", areaXml));

        var notice = await IncidentAsync(response, 202);
        Assert.Equal((identifier, area, "shown"), (notice.GetProperty("identifier").GetString(), notice.GetProperty("area").GetString(), notice.GetProperty("status").GetString()));
        Assert.Equal(2, notice.GetProperty("priority").GetInt32());
        Assert.Contains("opens no camera access", notice.GetProperty("detail").GetString());
        Assert.False(notice.TryGetProperty("grants", out _));
        Assert.Contains(identifier, await NoticesAsync("seoul-disaster-room"));
        // Nothing was opened: the alert's reference finds no incident.
        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        var incidents = await fixture.Node.GetJsonAsync("/api/v1/incidents?pageSize=500", token);
        // Every listed incident names its reference (null or not), so a missing field cannot pass for "not opened".
        Assert.DoesNotContain(incidents.GetProperty("items").EnumerateArray(), i => i.GetProperty("externalReference").ToString() == $"cap:{identifier}");
    }

    // Every situation room is shown the city's warning (a flooded underpass is the fire room's and the police room's work
    // too), but only the sending agency's gateway may update or end it.
    [Fact]
    public async Task A_notice_is_shown_to_every_agency_but_only_its_sender_ends_it_and_its_cancel_takes_it_down_once()
    {
        var identifier = Guid.NewGuid().ToString("N");
        using var posted = await PostAsync(Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", "<areaDesc>서울특별시 전체</areaDesc>"));
        await IncidentAsync(posted, 202);
        using var again = await PostAsync(Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", "<areaDesc>서울특별시 전체</areaDesc>"));
        Assert.Equal("shown", (await IncidentAsync(again, 202)).GetProperty("status").GetString());
        Assert.Single(await NoticesAsync("seoul-disaster-room"), identifier);
        foreach (var agency in (string[])["seoul-112", "seoul-119", "seoul-sos-center", "police-gangnam"])
        {
            var shown = Assert.Single(await NoticesOfAsync(agency), n => n.GetProperty("identifier").GetString() == identifier);
            Assert.Equal("seoul-disaster-room", shown.GetProperty("postedBy").GetString());
            Assert.Equal("Seoul Disaster and Safety Situation Room", shown.GetProperty("postedByName").GetString());
            Assert.Equal("disaster-room", shown.GetProperty("postedByKind").GetString());
        }
        // An agency that may not open disaster incidents posts no disaster notice either.
        using (var refused = await PostAsync(Alert("", identifier: Guid.NewGuid().ToString("N")).Replace("<areaDesc>Sillim-dong underpass</areaDesc>",
                   "<areaDesc>서울특별시 전체</areaDesc>"), agency: "seoul-119"))
            Assert.Contains("opened only by", await ProblemAssert.IsProblemAsync(refused, 403));
        using var foreign = await PostAsync(Alert("", msgType: "Cancel", references: References(identifier)), agency: "seoul-119");
        await ProblemAssert.IsProblemAsync(foreign, 404);
        Assert.Contains(identifier, await NoticesAsync("seoul-disaster-room"));
        Assert.Contains(identifier, await NoticesAsync("seoul-119"));

        var cancel = Alert("", msgType: "Cancel", identifier: Guid.NewGuid().ToString("N"), references: References(identifier));
        using var cancelled = await PostAsync(cancel);
        Assert.Equal("ended", (await IncidentAsync(cancelled, 200)).GetProperty("status").GetString());
        using var cancelledAgain = await PostAsync(cancel);
        Assert.Equal("ended", (await IncidentAsync(cancelledAgain, 200)).GetProperty("status").GetString());
        Assert.DoesNotContain(identifier, await NoticesAsync("seoul-disaster-room"));
        Assert.DoesNotContain(identifier, await NoticesAsync("seoul-112"));

        var auditor = await fixture.Node.TokenAsync("seoul-audit", "inspector", "auditor");
        var rows = (await fixture.Node.GetJsonAsync("/api/v1/audit?agency=seoul-disaster-room&kind=alert-notice&pageSize=500", auditor)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).Where(e => e.GetProperty("details").GetString()!.Contains(identifier)).Select(e => e.GetProperty("outcome").GetString()).ToArray();
        Assert.Equal(["posted", "ended"], rows.Order(StringComparer.Ordinal).Reverse());
    }

    // A notice reaches every agency of the sender's districts: a duty officer who posts one by hand (not the gateway) says
    // why, as for an incident a person opens, and the ledger keeps the reason with the person's name.
    [Fact]
    public async Task A_person_posting_a_notice_must_say_why_and_the_ledger_keeps_it()
    {
        var officer = await fixture.Node.TokenAsync("seoul-disaster-room", "duty-officer-7", "operator");
        string CityWide(string identifier) => Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", "<areaDesc>서울특별시 전체</areaDesc>");
        async Task<HttpResponseMessage> PostAsOfficerAsync(string identifier, string query) =>
            await fixture.Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/cap{query}", officer, new StringContent(CityWide(identifier), Encoding.UTF8, "application/xml"));

        var unexplained = Guid.NewGuid().ToString("N");
        foreach (var query in (string[])["", "?justification=%20%20", $"?justification={new string('x', 1001)}"])
        {
            using var refused = await PostAsOfficerAsync(unexplained, query);
            Assert.Contains("justification", await ProblemAssert.IsProblemAsync(refused, 400));
        }
        Assert.DoesNotContain(unexplained, await NoticesAsync("seoul-119"));

        var explained = Guid.NewGuid().ToString("N");
        using (var posted = await PostAsOfficerAsync(explained, "?justification=" + Uri.EscapeDataString("게이트웨이 장애로 수동 발령")))
            Assert.Equal("shown", (await IncidentAsync(posted, 202)).GetProperty("status").GetString());
        Assert.Contains(explained, await NoticesAsync("seoul-119"));
        var auditor = await fixture.Node.TokenAsync("seoul-audit", "inspector", "auditor");
        var row = (await fixture.Node.GetJsonAsync("/api/v1/audit?agency=seoul-disaster-room&kind=alert-notice&pageSize=500", auditor)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).Single(e => e.GetProperty("details").GetString()!.Contains(explained));
        Assert.Equal("seoul-disaster-room/duty-officer-7", row.GetProperty("actor").GetString());
        Assert.Equal("게이트웨이 장애로 수동 발령", JsonDocument.Parse(row.GetProperty("details").GetString()!).RootElement.GetProperty("justification").GetString());
        using var cancelled = await PostAsync(Alert("", msgType: "Cancel", identifier: Guid.NewGuid().ToString("N"), references: References(explained)));
        Assert.Equal("ended", (await IncidentAsync(cancelled, 200)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_update_that_names_places_replaces_the_notice_with_an_incident()
    {
        var identifier = Guid.NewGuid().ToString("N");
        using var posted = await PostAsync(Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", "<areaDesc>서울특별시 전체</areaDesc>"));
        await IncidentAsync(posted, 202);

        using var placed = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", msgType: "Update", references: References(identifier)));

        Assert.Equal("open", (await IncidentAsync(placed, 201)).GetProperty("status").GetString());
        Assert.DoesNotContain(identifier, await NoticesAsync("seoul-disaster-room"));
    }

    [Fact]
    public async Task A_notice_whose_alert_has_expired_is_not_shown()
    {
        var identifier = Guid.NewGuid().ToString("N");
        var expired = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:sszzz");
        using var posted = await PostAsync(Alert("", identifier: identifier).Replace("<areaDesc>Sillim-dong underpass</areaDesc>", "<areaDesc>서울특별시 전체</areaDesc>")
            .Replace("<headline>", $"<expires>{expired}</expires><headline>"));
        Assert.Equal("expired", (await IncidentAsync(posted, 202)).GetProperty("status").GetString());
        Assert.DoesNotContain(identifier, await NoticesAsync("seoul-disaster-room"));
    }

    private async Task<string[]> NoticesAsync(string agency) => [.. (await NoticesOfAsync(agency)).Select(n => n.GetProperty("identifier").GetString()!)];

    private async Task<JsonElement[]> NoticesOfAsync(string agency)
    {
        var token = await fixture.Node.TokenAsync(agency, "console", "operator");
        return [.. (await fixture.Node.GetJsonAsync("/api/v1/incidents/cap/notices", token)).GetProperty("items").EnumerateArray()];
    }

    [Theory]
    [InlineData("<areaDesc>여의도</areaDesc>")]
    [InlineData("<areaDesc>부산광역시 해운대구</areaDesc><geocode><valueName>G_CODE</valueName><value>2635000000</value></geocode>")]
    [InlineData("<areaDesc>x</areaDesc><geocode><valueName>G_CODE</valueName><value>11</value></geocode>")]
    public async Task An_alert_naming_no_served_district_and_no_shape_is_refused_saying_so(string areaXml)
    {
        using var response = await PostAsync(Alert("").Replace("<areaDesc>Sillim-dong underpass</areaDesc>", areaXml));
        Assert.Contains("names a district served here", await ProblemAssert.IsProblemAsync(response, 400));
    }

    private static string References(params string[] identifiers) =>
        "<references>" + string.Join(" ", identifiers.Select(id => $"safety@seoul.go.kr,{id},2026-11-25T03:00:00+09:00")) + "</references>";

    private static async Task<JsonElement> IncidentAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    // The alert's life as a gateway sends it: the flood spreads (an Update of the alert), then it is over (a Cancel of the
    // update). The incident follows: it moves and widens, then closes, and access ends with the grace period.
    [Fact]
    public async Task An_update_moves_and_widens_the_alerts_incident_and_a_cancel_of_the_update_closes_it()
    {
        var (alert, update, cancel) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        using var opened = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: alert));
        var incident = await IncidentAsync(opened, 201);
        var id = incident.GetProperty("id").GetString();
        using var openedAgain = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: alert));
        Assert.Equal(id, (await IncidentAsync(openedAgain, 200)).GetProperty("id").GetString());

        using var updated = await PostAsync(Alert("<circle>37.4870,126.9350 2</circle>", msgType: "Update", identifier: update, references: References(alert))
            .Replace("<severity>Severe</severity>", "<severity>Extreme</severity>"));
        var moved = await IncidentAsync(updated, 200);
        Assert.Equal(id, moved.GetProperty("id").GetString());
        Assert.Equal(37.4870, moved.GetProperty("position").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(2000, moved.GetProperty("radiusMeters").GetDouble());
        Assert.Equal(1, moved.GetProperty("priority").GetInt32());
        Assert.Equal("open", moved.GetProperty("status").GetString());

        // The water recedes: the update narrows what the incident covers and lowers its priority, so access shrinks with it.
        using var narrower = await PostAsync(Alert("<circle>37.4870,126.9350 0.5</circle>", msgType: "Update", references: References(update))
            .Replace("<severity>Severe</severity>", "<severity>Minor</severity>"));
        var narrowed = await IncidentAsync(narrower, 200);
        Assert.Equal((500.0, 4), (narrowed.GetProperty("radiusMeters").GetDouble(), narrowed.GetProperty("priority").GetInt32()));
        Assert.True(narrowed.GetProperty("cameras").GetArrayLength() < moved.GetProperty("cameras").GetArrayLength(),
            $"{narrowed.GetProperty("cameras").GetArrayLength()} cameras after narrowing, {moved.GetProperty("cameras").GetArrayLength()} before");

        // A duty officer widens it by hand and raises it; the alert's next update never goes below what the officer set.
        var officer = await fixture.Node.TokenAsync("seoul-disaster-room", "duty-officer", "operator");
        using (var widened = await fixture.Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/agencies", officer,
                   JsonContent.Create(new { radiusMeters = 1500, priority = 2 })))
            Assert.Equal(1500, (await IncidentAsync(widened, 200)).GetProperty("radiusMeters").GetDouble());
        using var smaller = await PostAsync(Alert("<circle>37.4870,126.9350 0.3</circle>", msgType: "Update", references: References(update))
            .Replace("<severity>Severe</severity>", "<severity>Minor</severity>"));
        var kept = await IncidentAsync(smaller, 200);
        Assert.Equal((1500.0, 2), (kept.GetProperty("radiusMeters").GetDouble(), kept.GetProperty("priority").GetInt32()));
        using var wider = await PostAsync(Alert("<circle>37.4870,126.9350 3</circle>", msgType: "Update", references: References(update))
            .Replace("<severity>Severe</severity>", "<severity>Extreme</severity>"));
        Assert.Equal((3000.0, 1), ((await IncidentAsync(wider, 200)).GetProperty("radiusMeters").GetDouble(), (await IncidentAsync(wider, 200)).GetProperty("priority").GetInt32()));

        // The same update sent again acts once.
        using var again = await PostAsync(Alert("<circle>37.4870,126.9350 2</circle>", msgType: "Update", identifier: update, references: References(alert)));
        Assert.Equal(id, (await IncidentAsync(again, 200)).GetProperty("id").GetString());

        using var cancelled = await PostAsync(Alert("", msgType: "Cancel", identifier: cancel, references: References(update)));
        var closed = await IncidentAsync(cancelled, 200);
        Assert.Equal(id, closed.GetProperty("id").GetString());
        Assert.Equal("closing", closed.GetProperty("status").GetString());
        Assert.True(closed.GetProperty("graceUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddHours(1));
        using var cancelledAgain = await PostAsync(Alert("", msgType: "Cancel", identifier: cancel, references: References(update)));
        Assert.Equal("closing", (await IncidentAsync(cancelledAgain, 200)).GetProperty("status").GetString());
    }

    // Two areas' warnings, each its own incident, merged by one update or cancelled by one message: the message supersedes
    // both alerts, so neither incident keeps its access past it.
    [Fact]
    public async Task A_cancel_referencing_two_alerts_closes_both_incidents()
    {
        var (north, south) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        using var first = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: north));
        var firstId = (await IncidentAsync(first, 201)).GetProperty("id").GetString();
        using var second = await PostAsync(Alert("<circle>37.5172,126.8665 0.8</circle>", identifier: south));
        var secondId = (await IncidentAsync(second, 201)).GetProperty("id").GetString();

        using var cancelled = await PostAsync(Alert("", msgType: "Cancel", references: References(north, south)));
        Assert.Equal(firstId, (await IncidentAsync(cancelled, 200)).GetProperty("id").GetString());
        Assert.Equal(("closing", "cap-cancel"), await StatusAsync(firstId!));
        Assert.Equal(("closing", "cap-cancel"), await StatusAsync(secondId!));
    }

    [Fact]
    public async Task An_update_referencing_two_alerts_moves_the_first_incident_and_closes_the_other()
    {
        var (north, south, merged) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        using var first = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: north));
        var firstId = (await IncidentAsync(first, 201)).GetProperty("id").GetString();
        using var second = await PostAsync(Alert("<circle>37.5172,126.8665 0.8</circle>", identifier: south));
        var secondId = (await IncidentAsync(second, 201)).GetProperty("id").GetString();

        using var updated = await PostAsync(Alert("<circle>37.5000,126.9000 4</circle>", msgType: "Update", identifier: merged, references: References(north, south)));
        var moved = await IncidentAsync(updated, 200);
        Assert.Equal(firstId, moved.GetProperty("id").GetString());
        Assert.Equal(4000, moved.GetProperty("radiusMeters").GetDouble());
        Assert.Equal("open", moved.GetProperty("status").GetString());
        Assert.Equal(("closing", "cap-superseded"), await StatusAsync(secondId!));

        // The merged alert's cancel finds the incident that followed it.
        using var cancelled = await PostAsync(Alert("", msgType: "Cancel", references: References(merged)));
        Assert.Equal(firstId, (await IncidentAsync(cancelled, 200)).GetProperty("id").GetString());
        Assert.Equal(("closing", "cap-cancel"), await StatusAsync(firstId!));
    }

    private async Task<(string? Status, string? Reason)> StatusAsync(string incidentId)
    {
        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        using var response = await fixture.Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{incidentId}", token);
        var incident = await IncidentAsync(response, 200);
        // The reason is in the timeline's closing entry ("Closed (cap-cancel); access ends at …").
        var closed = incident.GetProperty("timeline").EnumerateArray().LastOrDefault(e => e.GetProperty("kind").GetString() == "closed");
        var reason = closed.ValueKind == JsonValueKind.Object ? closed.GetProperty("text").GetString()!.Split('(', ')')[1] : null;
        return (incident.GetProperty("status").GetString(), reason);
    }

    [Fact]
    public async Task An_update_saying_all_clear_closes_the_incident()
    {
        var alert = Guid.NewGuid().ToString("N");
        using var opened = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: alert));
        var id = (await IncidentAsync(opened, 201)).GetProperty("id").GetString();
        using var clear = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", msgType: "Update", references: References(alert))
            .Replace("<headline>", "<responseType>AllClear</responseType><headline>"));
        var closed = await IncidentAsync(clear, 200);
        Assert.Equal(id, closed.GetProperty("id").GetString());
        Assert.Equal("closing", closed.GetProperty("status").GetString());
    }

    // Another agency's gateway, whatever it references, reaches none of this agency's incidents.
    [Fact]
    public async Task A_cancel_from_another_agency_or_of_an_unknown_alert_closes_nothing()
    {
        var alert = Guid.NewGuid().ToString("N");
        using var opened = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: alert));
        var id = (await IncidentAsync(opened, 201)).GetProperty("id").GetString();

        using var foreign = await PostAsync(Alert("", msgType: "Cancel", references: References(alert)), agency: "seoul-119");
        Assert.Contains("opened an incident of your agency", await ProblemAssert.IsProblemAsync(foreign, 404));
        using var unknown = await PostAsync(Alert("", msgType: "Cancel", references: References(Guid.NewGuid().ToString("N"))));
        await ProblemAssert.IsProblemAsync(unknown, 404);

        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        using var still = await fixture.Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{id}", token);
        Assert.Equal("open", (await IncidentAsync(still, 200)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_update_of_an_alert_that_opened_nothing_here_opens_an_incident()
    {
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", msgType: "Update", references: References(Guid.NewGuid().ToString("N"))));
        Assert.Equal("open", (await IncidentAsync(response, 201)).GetProperty("status").GetString());
    }

    // An identifier becomes the reference a later message finds the incident by, stored per agency: a huge one, in the
    // message or in its references, is refused before anything is looked up or stored.
    [Theory]
    [InlineData("identifier")]
    [InlineData("reference")]
    public async Task A_message_whose_identifier_or_reference_is_huge_is_refused_and_stores_nothing(string where)
    {
        var alert = Guid.NewGuid().ToString("N");
        using var opened = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", identifier: alert));
        var id = (await IncidentAsync(opened, 201)).GetProperty("id").GetString();
        var huge = new string('x', 200_000);
        using var response = where == "identifier"
            ? await PostAsync(Alert("<circle>37.4870,126.9350 2</circle>", msgType: "Update", identifier: huge, references: References(alert)))
            : await PostAsync(Alert("", msgType: "Cancel", references: References(alert, huge)));
        Assert.Contains("at most 124 characters", await ProblemAssert.IsProblemAsync(response, 400));

        var token = await fixture.Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        using var still = await fixture.Node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{id}", token);
        var incident = await IncidentAsync(still, 200);
        Assert.Equal(("open", 800.0), (incident.GetProperty("status").GetString(), incident.GetProperty("radiusMeters").GetDouble()));
    }

    [Theory]
    [InlineData("Update", "", "names none")]
    [InlineData("Cancel", "", "names none")]
    [InlineData("Cancel", "<references>just-an-identifier</references>", "not a 'sender,identifier,sent' entry")]
    [InlineData("Cancel", "MANY", "at most 100 are read")]
    public async Task An_update_or_cancel_without_usable_references_is_refused(string msgType, string references, string expected)
    {
        if (references == "MANY") references = References([.. Enumerable.Range(0, 5_000).Select(n => $"alert-{n}")]);
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>", msgType: msgType, references: references));
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task A_circle_alert_opens_a_disaster_response_incident()
    {
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0.8</circle>"));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("disaster-response", incident.GetProperty("type").GetString());
        Assert.Equal(800, incident.GetProperty("radiusMeters").GetDouble());
        Assert.Equal(2, incident.GetProperty("priority").GetInt32());
        Assert.Contains("seoul-disaster-room", incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_point_given_as_a_circle_of_radius_zero_opens_over_the_cameras_around_it()
    {
        using var response = await PostAsync(Alert("<circle>37.4842,126.9297 0</circle>"));
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(50, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("radiusMeters").GetDouble());
    }

    [Fact]
    public async Task A_polygon_alert_opens_an_incident_at_its_centre()
    {
        using var response = await PostAsync(Alert("<polygon>37.480,126.925 37.480,126.935 37.488,126.935 37.488,126.925 37.480,126.925</polygon>"));
        Assert.Equal(201, (int)response.StatusCode);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(37.484, incident.GetProperty("position").GetProperty("latitude").GetDouble(), 3);
    }

    [Theory]
    [InlineData("<alert><broken>", "well-formed")]
    [InlineData("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.1\"/>", "CAP 1.2")]
    [InlineData("ACK", "msgType")]
    [InlineData("TEST", "status")]
    [InlineData("NOAREA", "neither")]
    [InlineData("BADCIRCLE", "circle")]
    [InlineData("NEGATIVECIRCLE", "circle")]
    [InlineData("OUTSIDE", "outside Seoul")]
    [InlineData("DTD", "DTD")]
    public async Task Malformed_or_unsupported_alerts_are_refused_with_a_reason(string kind, string expected)
    {
        var xml = kind switch
        {
            "ACK" => Alert("<circle>37.48,126.93 1</circle>", msgType: "Ack"),
            "TEST" => Alert("<circle>37.48,126.93 1</circle>", status: "Test"),
            "NOAREA" => Alert(""),
            "BADCIRCLE" => Alert("<circle>37.48,126.93</circle>"),
            "NEGATIVECIRCLE" => Alert("<circle>37.48,126.93 -1</circle>"),
            "OUTSIDE" => Alert("<circle>35.10,129.04 1</circle>"),
            "DTD" => "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&x;</alert>",
            _ => kind,
        };
        using var response = await PostAsync(xml);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400), StringComparison.OrdinalIgnoreCase);
    }
}
