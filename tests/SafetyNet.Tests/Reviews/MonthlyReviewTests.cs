using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Reviews;

/// <summary>
/// Issue 12's review test: a month of generated ledger activity (back-dated into March 2026) gives a report whose counts
/// match a direct count through the audit API, whose signature verifies, and in which one altered byte is caught, through
/// the verify endpoint and offline with openssl. Also who may read which district's report, and the automatic run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MonthlyReviewTests : IAsyncLifetime
{
    private const string Jung = "11020";
    private const string Gangnam = "11230";
    private const string Month = "2026-03";
    private static readonly string[] Agencies = ["police-jung", "seoul-112", "seoul-119"];

    private TestNode _node = null!;
    private string _auditor = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(cameras: 500, extra: new Dictionary<string, string?>
        {
            ["Audit:CheckpointInterval"] = "00:00:00.200",
            ["Review:CheckPeriod"] = "00:00:02",
        });
        _auditor = await _node.TokenAsync("seoul-audit", "auditor-lee", "auditor");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task The_report_matches_a_direct_count_of_the_ledger_and_its_signature_catches_one_altered_byte()
    {
        var generated = await GenerateMonthAsync();
        var officer = await _node.TokenAsync("control-jung", "privacy-officer", "auditor");

        using var json = await GetAsync(officer, Jung, Month, "json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var document = await json.Content.ReadAsByteArrayAsync();
        var signature = json.Headers.GetValues("X-SafetyNet-Signature").Single();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), json.Headers.GetValues("X-SafetyNet-Document-Sha256").Single());
        var report = JsonDocument.Parse(document).RootElement;

        var (from, to) = ReviewMonths.Bounds(Month);
        var leases = await CountAsync(Jung, AuditKinds.Lease, "allow", from, to);
        var snapshots = await CountAsync(Jung, AuditKinds.Snapshot, "allow", from, to);
        var flags = await ReadAsync($"district={Jung}&kind={AuditKinds.MisuseFlag}&to={Q(to)}");
        var acknowledged = (await ReadAsync($"kind={AuditKinds.FlagAcknowledged}&from={Q(from)}&to={Q(to)}"))
            .Select(FlagId).Where(flags.Select(FlagId).Contains).Distinct().Count();
        Assert.Equal(generated.Views, leases.Values.Sum() + snapshots.Values.Sum());

        var totals = report.GetProperty("totals");
        Assert.Equal(leases.Values.Sum(), totals.GetProperty("leases").GetInt32());
        Assert.Equal(snapshots.Values.Sum(), totals.GetProperty("snapshots").GetInt32());
        var byAgency = report.GetProperty("byAgency").EnumerateArray().ToDictionary(a => a.GetProperty("agencyId").GetString()!);
        foreach (var agency in Agencies)
        {
            Assert.Equal(leases.GetValueOrDefault(agency), byAgency[agency].GetProperty("leases").GetInt32());
            Assert.Equal(snapshots.GetValueOrDefault(agency), byAgency[agency].GetProperty("snapshots").GetInt32());
            Assert.Equal(leases.GetValueOrDefault(agency) + snapshots.GetValueOrDefault(agency), byAgency[agency].GetProperty("views").GetInt32());
        }
        Assert.Equal(flags.Count(f => f.GetProperty("entry").GetProperty("occurredAt").GetDateTimeOffset() >= from), report.GetProperty("flags").GetProperty("raised").GetInt32());
        Assert.Equal(acknowledged, report.GetProperty("flags").GetProperty("resolved").GetInt32());
        Assert.Equal((generated.FlagsRaised, generated.FlagsResolved), (report.GetProperty("flags").GetProperty("raised").GetInt32(), acknowledged));
        var chain = report.GetProperty("chain");
        Assert.True(chain.GetProperty("intact").GetBoolean() && chain.GetProperty("coveredBySignedCheckpoint").GetBoolean(), chain.ToString());

        Assert.True(await VerifyAsync(document, signature));
        Assert.False(await VerifyAsync(Flip(document), signature));
        Assert.True(Openssl(document, signature));
        Assert.False(Openssl(Flip(document), signature));

        foreach (var (format, lang, marker) in new[] { ("csv", "en", "viewing,"), ("html", "ko", "중구"), ("html", "en", "Jung-gu") })
        {
            using var response = await GetAsync(officer, Jung, Month, format, lang);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Contains(marker, Encoding.UTF8.GetString(bytes));
            Assert.Equal(format == "csv", bytes.AsSpan().StartsWith(SpreadsheetCsv.Encoding.Preamble));
            Assert.Equal(json.Headers.GetValues("X-SafetyNet-Document-Sha256").Single(), response.Headers.GetValues("X-SafetyNet-Document-Sha256").Single());
            Assert.True(await VerifyAsync(bytes, null), $"{format}/{lang} as downloaded");
            Assert.False(await VerifyAsync(Flip(bytes), null), $"{format}/{lang} with one byte altered");
            Assert.True(await OfflineRecipeAsync(bytes), $"{format}/{lang} offline");
            Assert.False(await OfflineRecipeAsync(Flip(bytes)), $"{format}/{lang} offline, one byte altered");
        }

        var produced = await ReadAsync($"district={Jung}&kind={AuditKinds.ReviewReport}");
        Assert.Single(produced, r => r.GetProperty("entry").GetProperty("details").GetString()!.Contains($"\"month\":\"{Month}\""));
    }

    [Fact]
    public async Task A_report_is_read_only_within_its_district_and_bad_requests_are_named()
    {
        var jungOfficer = await _node.TokenAsync("control-jung", "privacy-officer", "auditor");
        var gangnamAdmin = await _node.TokenAsync("control-gangnam", "admin", "district-admin");
        var platform = await _node.TokenAsync("safetynet-ops", "ops", "platform-admin");
        var jungAdmin = await _node.TokenAsync("control-jung", "admin", "district-admin");

        async Task<HttpStatusCode> Status(string token, string district, string month)
        {
            using var response = await GetAsync(token, district, month, "json");
            if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Status(jungOfficer, Jung, Month));
        Assert.Equal(HttpStatusCode.OK, await Status(jungAdmin, Jung, Month));
        Assert.Equal(HttpStatusCode.OK, await Status(_auditor, Gangnam, Month));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(jungOfficer, Gangnam, Month));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(gangnamAdmin, Jung, Month));
        Assert.Equal(HttpStatusCode.Forbidden, await Status(platform, Jung, Month));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(jungOfficer, Jung, "2026-13"));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(jungOfficer, Jung, DateTimeOffset.UtcNow.AddMonths(2).ToString("yyyy-MM")));
        Assert.Equal(HttpStatusCode.NotFound, await Status(jungOfficer, "99999", Month));
        using var badFormat = await GetAsync(jungOfficer, Jung, Month, "pdf");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
    }

    [Fact]
    public async Task Last_months_reports_are_produced_automatically_once_for_every_district()
    {
        var previous = ReviewMonths.Previous(DateTimeOffset.UtcNow);
        var automatic = await Eventually.WaitAsync(() => AutomaticReportsAsync(previous), n => n >= 25, TimeSpan.FromSeconds(60), $"25 automatic reports for {previous}");
        Assert.Equal(25, automatic);

        Assert.Equal(0, await _node.Grains.GetGrain<IReviewGrain>(0).ProduceMissingAsync(previous));
        Assert.Equal(25, await AutomaticReportsAsync(previous));
        using var stored = await GetAsync(_auditor, Jung, previous, "json");
        Assert.Equal("automatic", stored.Headers.GetValues("X-SafetyNet-Review-Trigger").Single());
        Assert.True(await VerifyAsync(await stored.Content.ReadAsByteArrayAsync(), stored.Headers.GetValues("X-SafetyNet-Signature").Single()));
    }

    private async Task<int> AutomaticReportsAsync(string month) =>
        (await ReadAsync($"kind={AuditKinds.ReviewReport}")).Count(r =>
            r.GetProperty("entry").GetProperty("reason").GetString() == "automatic"
            && r.GetProperty("entry").GetProperty("details").GetString()!.Contains($"\"month\":\"{month}\""));

    private sealed record Generated(int Views, int FlagsRaised, int FlagsResolved);

    /// <summary>
    /// A month of views by three agencies on Jung-gu and Gangnam-gu cameras (leases with renewals, ends, revocations and
    /// plays; snapshots; denials), misuse flags and acknowledgements, and rows just outside the month on either side.
    /// </summary>
    private async Task<Generated> GenerateMonthAsync()
    {
        var random = new Random(12);
        var (from, to) = ReviewMonths.Bounds(Month);
        var entries = new List<AuditEntry>();
        var views = 0;
        for (var i = 0; i < 300; i++)
        {
            var district = random.Next(3) == 0 ? Gangnam : Jung;
            var at = from.AddSeconds(random.Next((int)(to - from).TotalSeconds - 3600));
            var agency = Agencies[random.Next(Agencies.Length)];
            var camera = $"review-{district}-{random.Next(20)}";
            var actor = $"{agency}/op-{random.Next(4)}";
            AuditEntry Entry(DateTimeOffset when, string kind, string outcome, string? details, string? reason = "sharing-policy") =>
                new(when, kind, outcome, reason, camera, agency, $"s-{i}", random.Next(2) == 0 ? $"inc-{i}" : null, actor, details, district, "emergency-response");
            var lease = $"l-{i}";
            switch (random.Next(4))
            {
                case 0:
                    entries.Add(Entry(at, AuditKinds.Snapshot, "allow", """{"grant":null}""", "one-shot"));
                    if (district == Jung) views++;
                    break;
                case 1:
                    entries.Add(Entry(at, AuditKinds.AccessDecision, "deny", null, "no-rule"));
                    break;
                default:
                    entries.Add(Entry(at, AuditKinds.Lease, "allow", $$"""{"leaseId":"{{lease}}","expiresAt":"{{at.AddMinutes(2):O}}"}"""));
                    entries.Add(Entry(at.AddSeconds(3), AuditKinds.View, "allow", $$"""{"leaseId":"{{lease}}"}""", null));
                    entries.Add(Entry(at.AddSeconds(60), AuditKinds.Lease, "renew", $$"""{"leaseId":"{{lease}}","expiresAt":"{{at.AddMinutes(3):O}}"}"""));
                    entries.Add(random.Next(2) == 0
                        ? Entry(at.AddSeconds(random.Next(61, 170)), AuditKinds.Lease, "end", $$"""{"leaseId":"{{lease}}"}""", "released")
                        : Entry(at.AddSeconds(random.Next(61, 170)), AuditKinds.Revocation, "revoke", $$"""{"leaseId":"{{lease}}"}""", "incident-closed"));
                    if (district == Jung) views++;
                    break;
            }
        }
        AuditEntry Outside(DateTimeOffset at) => new(at, AuditKinds.Lease, "allow", "sharing-policy", "review-11020-0", "police-jung", "s-x", null, "police-jung/op-0",
            $$"""{"leaseId":"l-outside-{{at.ToUnixTimeSeconds()}}","expiresAt":"{{at.AddMinutes(2):O}}"}""", Jung, "emergency-response");
        entries.Add(Outside(from.AddSeconds(-1)));
        entries.Add(Outside(to));
        entries.Add(Outside(to.AddSeconds(-1)));
        views++;

        AuditEntry Flag(DateTimeOffset at, string id, string district) =>
            new(at, AuditKinds.MisuseFlag, null, "night-viewing", null, null, null, null, "misuse-rules", $$"""{"flagId":"{{id}}","rule":"night-viewing"}""", district);
        AuditEntry Ack(DateTimeOffset at, string id) =>
            new(at, AuditKinds.FlagAcknowledged, "allow", null, null, "control-jung", null, null, "control-jung/privacy-officer", $$"""{"flagId":"{{id}}","note":"checked"}""");
        entries.Add(Flag(from.AddDays(-2), "f-february", Jung));
        for (var f = 0; f < 6; f++) entries.Add(Flag(from.AddDays(3 + f), $"f-{f}", Jung));
        entries.Add(Flag(from.AddDays(4), "f-gangnam", Gangnam));
        entries.AddRange([Ack(from.AddDays(1), "f-february"), Ack(from.AddDays(12), "f-0"), Ack(from.AddDays(13), "f-3"), Ack(from.AddDays(14), "f-gangnam"), Ack(to.AddDays(1), "f-4")]);

        var audit = _node.Grains.GetGrain<IAuditGrain>(0);
        foreach (var chunk in entries.Chunk(100)) await audit.AppendManyAsync(chunk);
        var head = (await audit.QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 1))).Items[0].Seq;
        await Eventually.WaitAsync(() => audit.VerifyAsync(), v => v.LastCheckpoint?.Seq >= head, TimeSpan.FromSeconds(20), "a checkpoint over the generated month");
        return new Generated(views, 6, 3);
    }

    private Task<HttpResponseMessage> GetAsync(string token, string district, string month, string format, string lang = "en") =>
        _node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{district}/{month}?format={format}&lang={lang}", token);

    private async Task<bool> VerifyAsync(byte[] document, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/audit/reviews/verify") { Content = new ByteArrayContent(document) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _auditor);
        if (signature is not null) request.Headers.Add("X-SafetyNet-Signature", signature);
        using var response = await _node.Http.SendAsync(request);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, result.ToString());
        return result.GetProperty("valid").GetBoolean();
    }

    private async Task<Dictionary<string, int>> CountAsync(string district, string kind, string outcome, DateTimeOffset from, DateTimeOffset to) =>
        (await ReadAsync($"district={district}&kind={kind}&outcome={outcome}&from={Q(from)}&to={Q(to)}"))
            .GroupBy(r => r.GetProperty("entry").GetProperty("agencyId").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());

    private async Task<List<JsonElement>> ReadAsync(string filter)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var response = await _node.SendAsync(HttpMethod.Get, $"/api/v1/audit?{filter}&pageSize=1000&page={page}", _auditor);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            all.AddRange(body.GetProperty("items").EnumerateArray());
            if (!body.GetProperty("hasMore").GetBoolean()) return all;
        }
    }

    private static string FlagId(JsonElement record) =>
        JsonDocument.Parse(record.GetProperty("entry").GetProperty("details").GetString()!).RootElement.GetProperty("flagId").GetString()!;

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("O"));

    /// <summary>One byte in the middle changed to another printable character.</summary>
    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        var i = copy.Length / 2;
        copy[i] = (byte)(copy[i] == (byte)'7' ? '8' : '7');
        return copy;
    }

    private async Task<string> KeyPemAsync(string keyId)
    {
        using var response = await _node.SendAsync(HttpMethod.Get, "/api/v1/audit/reviews/keys", _auditor);
        var keys = await response.Content.ReadFromJsonAsync<JsonElement>();
        return keys.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("publicKeyPem").GetString()!;
    }

    /// <summary>JSON: the detached signature, checked with openssl over the file's exact bytes.</summary>
    private bool Openssl(byte[] document, string signature)
    {
        var directory = Directory.CreateTempSubdirectory("review-offline-").FullName;
        var (keyId, value) = (signature.Split(':')[0], signature.Split(':')[1]);
        File.WriteAllText(Path.Combine(directory, "key.pem"), KeyPemAsync(keyId).GetAwaiter().GetResult());
        File.WriteAllBytes(Path.Combine(directory, "report.json"), document);
        File.WriteAllBytes(Path.Combine(directory, "report.sig"), Convert.FromBase64String(value));
        return Run(directory, "openssl dgst -sha256 -verify key.pem -signature report.sig report.json");
    }

    /// <summary>CSV and HTML: README's offline recipe, as written there.</summary>
    private async Task<bool> OfflineRecipeAsync(byte[] document)
    {
        var directory = Directory.CreateTempSubdirectory("review-offline-").FullName;
        var keyId = System.Text.RegularExpressions.Regex.Match(Encoding.UTF8.GetString(document), "safetynet-signature[ ,]([0-9a-f]{16})").Groups[1].Value;
        await File.WriteAllTextAsync(Path.Combine(directory, "review-key.pem"), await KeyPemAsync(keyId));
        await File.WriteAllBytesAsync(Path.Combine(directory, "report"), document);
        return Run(directory, """
            sed '$d' report > report.signed
            tail -n 1 report | grep -oE '[A-Za-z0-9+/=]{40,}' | base64 -d > report.sig
            openssl dgst -sha256 -verify review-key.pem -signature report.sig report.signed
            """);
    }

    private static bool Run(string directory, string script)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", "set -e\n" + script])
            { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Directory.Delete(directory, true);
        return process.ExitCode == 0 && output.Contains("Verified OK");
    }
}
