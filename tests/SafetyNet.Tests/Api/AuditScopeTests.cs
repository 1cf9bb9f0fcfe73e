using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// Who reads which ledger entries: a district's privacy officer its own district's cameras and agencies and nothing else,
/// a city-wide auditor everything, a district admin who viewed its own cameras; the CSV export obeys the same scope.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class AuditScopeTests(NodeFixture fixture)
{
    private const string Jung = "11020";
    private const string Gangnam = "11230";
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_district_privacy_officer_reads_only_entries_about_its_own_cameras_and_agencies()
    {
        var (jungCamera, gangnamCamera) = await ViewOneCameraInEachDistrictAsync("scope-officer");
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");

        var entries = await ReadAsync(officer, "?pageSize=1000");
        Assert.Contains(entries, e => e.GetProperty("cameraId").GetString() == jungCamera);
        Assert.DoesNotContain(entries, e => e.GetProperty("cameraId").GetString() == gangnamCamera);
        Assert.All(entries, e => Assert.True(
            e.GetProperty("districtCode").GetString() == Jung || e.GetProperty("districtCode").ValueKind == JsonValueKind.Null,
            $"entry about district {e.GetProperty("districtCode")} reached Jung-gu's privacy officer"));

        // Naming another district's camera or district in the filter reveals nothing either.
        Assert.Empty(await ReadAsync(officer, $"?camera={gangnamCamera}"));
        Assert.Empty(await ReadAsync(officer, $"?district={Gangnam}"));
    }

    [Fact]
    public async Task A_city_wide_auditor_reads_every_district()
    {
        var (jungCamera, gangnamCamera) = await ViewOneCameraInEachDistrictAsync("scope-city");
        var auditor = await Node.TokenAsync("seoul-audit", "inspector", "auditor");

        var jung = await ReadAsync(auditor, $"?camera={jungCamera}&kind=access-decision");
        var gangnam = await ReadAsync(auditor, $"?camera={gangnamCamera}&kind=access-decision");
        Assert.Contains(jung, e => e.GetProperty("districtCode").GetString() == Jung && e.GetProperty("purpose").GetString() == "monitoring");
        Assert.Contains(gangnam, e => e.GetProperty("districtCode").GetString() == Gangnam);
    }

    [Fact]
    public async Task A_district_admin_sees_who_viewed_its_cameras_and_nothing_else()
    {
        var (jungCamera, gangnamCamera) = await ViewOneCameraInEachDistrictAsync("scope-admin");
        var admin = await Node.TokenAsync("control-jung", "district-admin", "district-admin");

        var entries = await ReadAsync(admin, "?pageSize=1000");
        Assert.Contains(entries, e => e.GetProperty("cameraId").GetString() == jungCamera && e.GetProperty("agencyId").GetString() == "seoul-112");
        Assert.All(entries, e =>
        {
            Assert.Equal(Jung, e.GetProperty("districtCode").GetString());
            Assert.NotEqual(JsonValueKind.Null, e.GetProperty("cameraId").ValueKind);
        });
        Assert.Empty(await ReadAsync(admin, $"?camera={gangnamCamera}"));
    }

    [Fact]
    public async Task The_export_obeys_the_callers_scope_and_is_itself_audited()
    {
        var (jungCamera, gangnamCamera) = await ViewOneCameraInEachDistrictAsync("scope-export");
        var officer = await Node.TokenAsync("control-jung", "export-officer", "auditor");

        using var csv = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit/export?format=csv&kind=access-decision", officer);
        Assert.Equal(200, (int)csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", csv.Content.Headers.ContentDisposition?.DispositionType ?? "");
        // A spreadsheet reads the file as UTF-8 only with its byte order mark (Korean Excel would read CP949).
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(SpreadsheetCsv.Encoding.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("seq,occurred_at,kind,", lines[0]);
        Assert.Contains(lines, l => l.Contains(jungCamera, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(gangnamCamera, StringComparison.Ordinal));

        using var json = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/export?format=json&camera={jungCamera}", officer);
        var records = (await json.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(jungCamera, r.GetProperty("entry").GetProperty("cameraId").GetString()));

        var auditor = await Node.TokenAsync("seoul-audit", "inspector", "auditor");
        Assert.Contains(await ReadAsync(auditor, "?kind=audit-export&agency=control-jung"),
            e => e.GetProperty("actor").GetString() == "control-jung/export-officer" && e.GetProperty("reason").GetString() == "csv");
    }

    [Theory]
    [InlineData("?format=xml", "format must be csv or json")]
    [InlineData("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from must be before to")]
    public async Task A_bad_export_request_is_a_400_with_the_reason(string query, string reason)
    {
        var officer = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit/export" + query, officer);
        Assert.Contains(reason, await ProblemAssert.IsProblemAsync(response, 400));
    }

    /// <summary>A 112 operator checks access to one Jung-gu and one Gangnam-gu camera: one ledger entry about each district.</summary>
    private async Task<(string Jung, string Gangnam)> ViewOneCameraInEachDistrictAsync(string operatorId)
    {
        var (_, token) = await Node.SessionAsync("seoul-112", operatorId);
        var jung = await FirstCameraAsync(token, Jung);
        var gangnam = await FirstCameraAsync(token, Gangnam);
        foreach (var camera in new[] { jung, gangnam })
        {
            using var access = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/access?purpose=monitoring", token);
            Assert.Equal(200, (int)access.StatusCode);
        }
        return (jung, gangnam);
    }

    private async Task<string> FirstCameraAsync(string token, string district)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras?district={district}&pageSize=1", token);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features")[0].GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> ReadAsync(string token, string query)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit" + query, token);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("entry")).ToList();
    }
}
