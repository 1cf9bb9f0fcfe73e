using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence.Sealing;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>
/// An insider who can read and write the database (a DBA, a stolen backup, the SQLite file) but not the node's files: the
/// camera passwords are not in the file to read, a grant row written into it grants nothing, and a camera's state copied
/// over another's (to lift its privacy mask) is refused rather than believed. The forged grant is shown to work on a node
/// told to accept unsealed state, as every node did before state was sealed; without the seal the copied state lifts the
/// mask (tried).
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoredStateSealTests : IAsyncLifetime
{
    private const string Password = "Pa55-in-the-db";
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(cameras: 2000);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task A_camera_password_is_not_in_the_database_file()
    {
        var admin = await _node.TokenAsync("control-jung", "admin-seal", "district-admin");
        var url = $"rtsp://admin:{Password}@10.20.30.40:554/stream1";
        using (var patch = await _node.SendAsync(HttpMethod.Patch, "/api/v1/cameras/11020-00007", admin, JsonContent.Create(new { streamUrl = url })))
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        using (var read = await _node.SendAsync(HttpMethod.Get, "/api/v1/cameras/11020-00007", admin))
            Assert.Equal(url, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString());

        await _node.DisposeAsync(); // a clean stop: the write-ahead log is folded into the file
        var files = Directory.GetFiles(_node.DataDirectory, "safetynet.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.True((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Password)) < 0, $"{Path.GetFileName(file)} holds the camera's password");

        // The node reads its own state back.
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        using var again = await _node.SendAsync(HttpMethod.Get, "/api/v1/cameras/11020-00007", await _node.TokenAsync("control-jung", "admin-seal", "district-admin"));
        Assert.Equal(url, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("streamUrl").GetString());
    }

    [Fact]
    public async Task A_grant_row_written_into_the_database_grants_nothing()
    {
        var dispatch = await _node.TokenAsync("seoul-112", "cad-seal", "dispatch-system");
        var incident = await _node.OpenIncidentAsync(dispatch, new { type = "112-emergency-video", latitude = 37.5637, longitude = 126.9975, priority = 1 });
        var (registry, police) = (await NodeGrantRows.ReadAsync(_node))
            .First(row => row.Grant.Grant.AgencyId == "seoul-112" && row.Grant.Until.Count > 0);
        var camera = police.Until.Keys.Order().First();
        var incidentId = incident.GetProperty("id").GetString()!;
        const string Intruder = "seoul-sos-center";
        Assert.False(await AllowedAsync(Intruder, camera, incidentId));

        // The insider writes the grant as the node would store it, for their own agency.
        var forged = new CoveredGrant { Grant = police.Grant with { GrantId = "forged-grant", AgencyId = Intruder }, Until = police.Until };
        await _node.DisposeAsync();
        await SqlAsync("INSERT INTO grant_registry_grant (registry, grant_id, covered) VALUES ($registry, 'forged-grant', $covered)",
            ("$registry", registry), ("$covered", JsonSerializer.Serialize(forged, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

        // Believed by a node that accepts unsealed state: the attack is real.
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory, new Dictionary<string, string?> { ["StateSeal:AcceptUnsealedState"] = "true" });
        Assert.True(await AllowedAsync(Intruder, camera, incidentId));
        await _node.DisposeAsync();

        // Refused by the node as built, which still honours the real grant.
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        Assert.False(await AllowedAsync(Intruder, camera, incidentId));
        Assert.True(await AllowedAsync("seoul-112", camera, incidentId));
    }

    /// <summary>
    /// A grant row is sealed as its registry's own, so one put back from before its incident closed opens; it would grant
    /// until the incident's absolute expiry. The ledger's issues and ends of the grant say it ended at the close.
    /// </summary>
    [Fact]
    public async Task A_grant_row_put_back_from_before_its_incident_closed_is_not_in_force_and_the_ledger_says_so()
    {
        var settings = new Dictionary<string, string?> { ["Incidents:ClosingGrace"] = "00:00:00" };
        await _node.DisposeAsync();
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory, settings);
        var dispatch = await _node.TokenAsync("seoul-112", "cad-grant-replay", "dispatch-system");
        var incident = await _node.OpenIncidentAsync(dispatch, new { type = "112-emergency-video", latitude = 37.5637, longitude = 126.9975, priority = 1 });
        var incidentId = incident.GetProperty("id").GetString()!;
        var (registry, police) = (await NodeGrantRows.ReadAsync(_node))
            .First(row => row.Grant.Grant.AgencyId == "seoul-112" && row.Grant.Until.Count > 0);
        var camera = police.Until.Keys.Order().First();
        Assert.Equal("incident-grant", await ReasonAsync("seoul-112", camera, incidentId));
        var backup = await GrantRowAsync(registry, police.Grant.GrantId);

        var (closed, body) = await _node.PostAsync($"/api/v1/incidents/{incidentId}/close", dispatch, new { reason = "resolved" });
        Assert.True(closed == 200, body);
        Assert.NotEqual("incident-grant", await ReasonAsync("seoul-112", camera, incidentId));
        await _node.DisposeAsync();
        await SqlAsync("INSERT INTO grant_registry_grant (registry, grant_id, covered) VALUES ($registry, $grant, $covered) " +
                       "ON CONFLICT (registry, grant_id) DO UPDATE SET covered = excluded.covered",
            ("$registry", registry), ("$grant", police.Grant.GrantId), ("$covered", backup));

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory, settings);
        Assert.NotEqual("incident-grant", await ReasonAsync("seoul-112", camera, incidentId));
        Assert.Single(await LedgerSaysAsync($"incident={incidentId}&kind=revocation", GrantRegistryGrain.StaleGrantReason, GrantRegistryGrain.GrantGuardActor));

        // Written again as the ledger says: the next start finds nothing to correct.
        await _node.DisposeAsync();
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory, settings);
        Assert.NotEqual("incident-grant", await ReasonAsync("seoul-112", camera, incidentId));
        Assert.Single(await LedgerSaysAsync($"incident={incidentId}&kind=revocation", GrantRegistryGrain.StaleGrantReason, GrantRegistryGrain.GrantGuardActor));
    }

    private async Task<string> GrantRowAsync(string registry, string grantId)
    {
        await using var connection = new SqliteConnection($"Data Source={NodeGrantRows.DatabaseFile(_node)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT covered FROM grant_registry_grant WHERE registry = $registry AND grant_id = $grant";
        command.Parameters.AddWithValue("$registry", registry);
        command.Parameters.AddWithValue("$grant", grantId);
        return Assert.IsType<string>(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_camera_state_copied_over_a_masked_camera_is_refused_rather_than_unmasking_it()
    {
        var admin = await _node.TokenAsync("control-jung", "admin-mask", "district-admin");
        const string Masked = "11020-00011", Corner = "11020-00012";
        await PutMaskAsync(admin, Masked, [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]]);
        await PutMaskAsync(admin, Corner, [[0.0, 0.0], [0.01, 0.0], [0.0, 0.01]]);
        await _node.DisposeAsync();
        await SqlAsync("UPDATE OrleansStorage SET PayloadBinary = (SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'camera' AND GrainIdExtensionString = $from) " +
                       "WHERE GrainTypeString = 'camera' AND GrainIdExtensionString = $to", ("$from", Corner), ("$to", Masked));

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        admin = await _node.TokenAsync("control-jung", "admin-mask", "district-admin");
        using var masks = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{Masked}/masks", admin);
        var problem = await ProblemAssert.IsProblemAsync(masks, 503);
        Assert.Contains($"camera/{Masked}", problem);
        Assert.Contains("copied from another record", problem);
        // The other camera, untouched, still serves its own state.
        using var corner = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{Corner}/masks", admin);
        Assert.Equal(HttpStatusCode.OK, corner.StatusCode);
    }

    /// <summary>
    /// A camera's record and its district's, put back together from the same backup taken before the camera's last mask
    /// edit, agree with each other. The district's notes are checked against the ledger's mask edits at its activation.
    /// </summary>
    [Fact]
    public async Task A_masked_camera_whose_record_and_districts_were_put_back_together_is_withheld_until_its_masks_are_set_again()
    {
        const string Camera = "11020-00031";
        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-together", "district-admin"), Camera, [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]]);
        await _node.DisposeAsync();
        var cameraBackup = await NodeStoredRecords.CameraAsync(_node, Camera);
        var districtBackup = await NodeStoredRecords.DistrictAsync(_node, "11020");

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-together", "district-admin"), Camera, [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]]);
        await _node.DisposeAsync();
        await NodeStoredRecords.PutBackCameraAsync(_node, Camera, cameraBackup);
        await NodeStoredRecords.PutBackDistrictAsync(_node, "11020", districtBackup);

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        var (_, police) = await _node.SessionAsync("seoul-112", "op-together");
        await AssertWithheldAsync(police, Camera);
        Assert.NotEmpty(await LedgerSaysAsync($"camera={Camera}&kind=camera-change", "masks-note-older-than-ledger", "masks-guard"));

        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-together", "district-admin"), Camera, [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]]);
        var repaired = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.True(repaired.GetProperty("allowed").GetBoolean(), repaired.ToString());
        await Eventually.WaitAsync(() => ListedStatusAsync(police, Camera), s => s == "online", TimeSpan.FromSeconds(30), $"{Camera} listed online again");
    }

    /// <summary>
    /// A sealed record cannot be forged, but it can be deleted: a masked camera whose record is gone would read as one never
    /// masked. Its district notes the masks too, so the camera is denied to everyone until its admin sets the masks again.
    /// From the node's start, before anyone asks for it, it is also offline, so the map does not offer it and no incident
    /// selects it; it comes back when its masks are set again.
    /// </summary>
    [Fact]
    public async Task A_masked_camera_whose_record_was_deleted_is_denied_and_offline_until_its_masks_are_set_again()
    {
        const string Camera = "11020-00031";
        var (_, police) = await _node.SessionAsync("seoul-112", "op-deleted");
        var before = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.True(before.GetProperty("allowed").GetBoolean(), before.ToString());
        var (latitude, longitude) = Position(await ListedAsync(police, Camera));
        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-deleted", "district-admin"), Camera, [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]]);
        await _node.DisposeAsync();
        await SqlAsync("DELETE FROM OrleansStorage WHERE GrainTypeString = 'camera' AND GrainIdExtensionString = $camera", ("$camera", Camera));

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        (_, police) = await _node.SessionAsync("seoul-112", "op-deleted");
        // Nobody has asked for the camera: its district's check at start found the record without masks.
        await Eventually.WaitAsync(() => ListedStatusAsync(police, Camera), s => s == "offline", TimeSpan.FromSeconds(30), $"{Camera} listed offline");
        Assert.NotEmpty(await LedgerSaysAsync($"camera={Camera}&kind=camera-change", "masks-record-lost", "masks-guard"));
        // Woken only for the check, it goes back to sleep: a node's start wakes every masked camera of its districts.
        var camera = _node.Grains.GetGrain<ICameraGrain>(Camera).GetGrainId();
        await Eventually.WaitAsync(async () => await _node.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(camera.Type), active => !active.Contains(camera),
            TimeSpan.FromSeconds(30), $"{Camera} asleep again after its check");
        var dispatch = await _node.TokenAsync("seoul-112", "cad-deleted", "dispatch-system");
        var incident = await _node.OpenIncidentAsync(dispatch, new { type = "112-emergency-video", latitude, longitude, priority = 1 });
        var selected = incident.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("cameraId").GetString()).ToList();
        Assert.NotEmpty(selected);
        Assert.DoesNotContain(Camera, selected);

        var denied = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.False(denied.GetProperty("allowed").GetBoolean(), denied.ToString());
        Assert.Equal("masks-record-lost", denied.GetProperty("reason").GetString());

        // The admin sets the masks again: the camera is online and shown, masked.
        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-deleted", "district-admin"), Camera, [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]]);
        var repaired = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.True(repaired.GetProperty("allowed").GetBoolean(), repaired.ToString());
        await Eventually.WaitAsync(() => ListedStatusAsync(police, Camera), s => s == "online", TimeSpan.FromSeconds(30), $"{Camera} listed online again");
    }

    /// <summary>
    /// The insider puts back an older copy of a masked camera's own record (from a backup): it is sealed for the same place,
    /// so the seal accepts it, and it holds the smaller masks set before. Its district notes the fingerprint of the masks
    /// last set, so the camera is refused, and offline, until its admin sets the masks again.
    /// </summary>
    [Fact]
    public async Task A_masked_camera_whose_record_was_put_back_from_an_older_copy_is_denied_until_its_masks_are_set_again()
    {
        const string Camera = "11020-00031";
        var admin = await _node.TokenAsync("control-jung", "admin-replay", "district-admin");
        await PutMaskAsync(admin, Camera, [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]]);
        await _node.DisposeAsync();
        var backup = await NodeStoredRecords.CameraAsync(_node, Camera);

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-replay", "district-admin"), Camera, [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]]);
        await _node.DisposeAsync();
        await NodeStoredRecords.PutBackCameraAsync(_node, Camera, backup);

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        var (_, police) = await _node.SessionAsync("seoul-112", "op-replay");
        await AssertWithheldAsync(police, Camera);

        await PutMaskAsync(await _node.TokenAsync("control-jung", "admin-replay", "district-admin"), Camera, [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]]);
        var repaired = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.True(repaired.GetProperty("allowed").GetBoolean(), repaired.ToString());
        // The fingerprint stays with the district: not even its admin reads it.
        var shown = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}", await _node.TokenAsync("control-jung", "admin-replay", "district-admin"));
        Assert.True(shown.GetProperty("masked").GetBoolean(), shown.ToString());
        Assert.False(shown.TryGetProperty("masksDigest", out _), shown.ToString());
    }

    /// <summary>
    /// The insider puts back an older copy of a district's record (from a backup) to undo its privacy officer's tightening
    /// of the sharing policy. The seal accepts it (it is the district's own), but the ledger holds every policy edit with
    /// its version: the district shares only during incidents until its admin sets the policy again.
    /// </summary>
    [Fact]
    public async Task A_district_record_put_back_from_before_a_policy_tightening_shares_only_during_incidents_until_its_admin_sets_the_policy_again()
    {
        const string Camera = "11020-00031";
        var (_, police) = await _node.SessionAsync("seoul-112", "op-policy-replay");
        Assert.Equal("standing-policy", (await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police)).GetProperty("reason").GetString());
        await _node.DisposeAsync();
        var backup = await NodeStoredRecords.DistrictAsync(_node, "11020");

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        var admin = await _node.TokenAsync("control-jung", "admin-policy-replay", "district-admin");
        await PatchPolicyAsync(admin, "never");
        (_, police) = await _node.SessionAsync("seoul-112", "op-policy-replay");
        Assert.False((await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police)).GetProperty("allowed").GetBoolean());
        await _node.DisposeAsync();
        await NodeStoredRecords.PutBackDistrictAsync(_node, "11020", backup);

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        (_, police) = await _node.SessionAsync("seoul-112", "op-policy-replay");
        var replayed = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police);
        Assert.False(replayed.GetProperty("allowed").GetBoolean(), replayed.ToString());
        Assert.Equal("incident-required", replayed.GetProperty("reason").GetString());
        Assert.NotEmpty(await LedgerSaysAsync("kind=policy-change&district=11020", "policy-record-older-than-ledger", "policy-guard"));

        // The admin sets the policy again (here, standing access back): the record is the newest, and believed, after a restart too.
        await PatchPolicyAsync(await _node.TokenAsync("control-jung", "admin-policy-replay", "district-admin"), "standing");
        Assert.Equal("standing-policy", (await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police)).GetProperty("reason").GetString());
        await _node.DisposeAsync();
        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        (_, police) = await _node.SessionAsync("seoul-112", "op-policy-replay");
        Assert.Equal("standing-policy", (await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/access?purpose=monitoring", police)).GetProperty("reason").GetString());
    }

    private async Task PatchPolicyAsync(string admin, string level)
    {
        using var patch = await _node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11020/sharing-policy", admin,
            JsonContent.Create(new Dictionary<string, Dictionary<string, string>> { ["police-112-center"] = new() { ["crime-prevention"] = level } }));
        Assert.True(patch.IsSuccessStatusCode, $"{(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync()}");
    }

    /// <summary>The camera as the map lists it, from the node's index rather than from the camera itself.</summary>
    private async Task<JsonElement> ListedAsync(string token, string camera)
    {
        var page = await _node.GetJsonAsync($"/api/v1/cameras?district={camera[..5]}&pageSize=5000", token);
        return page.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetString() == camera);
    }

    private async Task<string?> ListedStatusAsync(string token, string camera) =>
        (await ListedAsync(token, camera)).GetProperty("properties").GetProperty("status").GetString();

    private static (double Latitude, double Longitude) Position(JsonElement feature)
    {
        var coordinates = feature.GetProperty("geometry").GetProperty("coordinates");
        return (coordinates[1].GetDouble(), coordinates[0].GetDouble());
    }

    /// <summary>
    /// The on-call engineer upgrades a node whose database was written before state was sealed: its records are refused
    /// until the upgrade switch is on, read and sealed while it is, and read without it afterwards.
    /// </summary>
    [Fact]
    public async Task A_database_written_before_sealing_is_read_under_the_upgrade_switch_and_sealed_as_it_is_read()
    {
        var admin = await _node.TokenAsync("control-jung", "admin-upgrade", "district-admin");
        const string Camera = "11020-00021";
        await PutMaskAsync(admin, Camera, [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8]]);
        await _node.DisposeAsync();
        // The record as an earlier version stored it: the same JSON, unsealed.
        var plain = NodeGrantRows.SealOf(_node).Open(await NodeStoredRecords.CameraAsync(_node, Camera), SealedGrainStorage.Context("camera", GrainId.Create("camera", Camera)));
        await NodeStoredRecords.PutBackCameraAsync(_node, Camera, plain);

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        using (var refused = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{Camera}/masks", await _node.TokenAsync("control-jung", "admin-upgrade", "district-admin")))
            Assert.Contains("it is not sealed", await ProblemAssert.IsProblemAsync(refused, 503));
        await _node.DisposeAsync();

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory, new Dictionary<string, string?> { ["StateSeal:AcceptUnsealedState"] = "true" });
        admin = await _node.TokenAsync("control-jung", "admin-upgrade", "district-admin");
        Assert.Equal(1, (await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/masks", admin)).GetProperty("polygonCount").GetInt32());
        await _node.DisposeAsync();
        Assert.True(StateSeal.IsSealed(await NodeStoredRecords.CameraAsync(_node, Camera)), "read under the switch, the record was not sealed");

        _node = await TestNode.StartAsync(cameras: 2000, _node.DataDirectory);
        var masks = await _node.GetJsonAsync($"/api/v1/cameras/{Camera}/masks", await _node.TokenAsync("control-jung", "admin-upgrade", "district-admin"));
        Assert.Equal(0.2, masks.GetProperty("polygons")[0].GetProperty("points")[0].GetProperty("x").GetDouble());
    }

    private async Task PutMaskAsync(string token, string camera, double[][] points)
    {
        using var put = await _node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{camera}/masks", token,
            JsonContent.Create(new { polygons = new[] { new { points = points.Select(p => new { x = p[0], y = p[1] }) } } }));
        Assert.True(put.IsSuccessStatusCode, $"{(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
    }

    /// <summary>Whether an operator of <paramref name="agency"/> may view <paramref name="camera"/> for the incident, as the access check answers.</summary>
    private async Task<bool> AllowedAsync(string agency, string camera, string incidentId) =>
        (await DecisionAsync(agency, camera, incidentId)).GetProperty("allowed").GetBoolean();

    /// <summary>Why the access check answers as it does for an operator of <paramref name="agency"/> and the incident (<c>incident-grant</c>, say).</summary>
    private async Task<string?> ReasonAsync(string agency, string camera, string incidentId) =>
        (await DecisionAsync(agency, camera, incidentId)).GetProperty("reason").GetString();

    private async Task<JsonElement> DecisionAsync(string agency, string camera, string incidentId)
    {
        var (_, token) = await _node.SessionAsync(agency, $"op-{agency}");
        return await _node.GetJsonAsync($"/api/v1/cameras/{camera}/access?purpose=emergency-response&incident={incidentId}", token);
    }

    /// <summary>The ledger's entries an auditor finds with <paramref name="filter"/> that give <paramref name="reason"/>, written by <paramref name="actor"/>.</summary>
    private async Task<List<JsonElement>> LedgerSaysAsync(string filter, string reason, string actor)
    {
        var auditor = await _node.TokenAsync("seoul-audit", "auditor-seal", "auditor");
        var page = await _node.GetJsonAsync($"/api/v1/audit?{filter}&pageSize=100", auditor);
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("entry"))
            .Where(e => e.GetProperty("reason").GetString() == reason && e.GetProperty("actor").GetString() == actor)];
    }

    /// <summary>The camera is listed offline from the node's start, before anyone asks for it, and denied for its masks record.</summary>
    private async Task AssertWithheldAsync(string token, string camera)
    {
        await Eventually.WaitAsync(() => ListedStatusAsync(token, camera), s => s == "offline", TimeSpan.FromSeconds(30), $"{camera} listed offline");
        var denied = await _node.GetJsonAsync($"/api/v1/cameras/{camera}/access?purpose=monitoring", token);
        Assert.False(denied.GetProperty("allowed").GetBoolean(), denied.ToString());
        Assert.Equal("masks-record-lost", denied.GetProperty("reason").GetString());
    }

    private async Task SqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={NodeGrantRows.DatabaseFile(_node)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
