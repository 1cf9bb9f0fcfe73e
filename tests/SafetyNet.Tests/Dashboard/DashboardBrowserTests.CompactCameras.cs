using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task The_compact_camera_list_matches_the_full_list_carries_no_stream_url_and_the_map_draws_every_camera_from_it()
    {
        var (_, token) = await Node.SessionAsync("seoul-112", "compact-check");
        var full = new Dictionary<string, (string District, string Purpose, string Status)>();
        for (var pageNumber = 1; ; pageNumber++)
        {
            using var list = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras?page={pageNumber}&pageSize=20000", token);
            var features = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToArray();
            foreach (var p in features)
                full[p.GetProperty("id").GetString()!] = (p.GetProperty("district").GetString()!, p.GetProperty("purpose").GetString()!, p.GetProperty("status").GetString()!);
            if (features.Length < 20000) break;
        }

        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/compact", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("rtsp", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("lavfi", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stream", text, StringComparison.OrdinalIgnoreCase);
        var compact = JsonDocument.Parse(text).RootElement;
        var count = compact.GetProperty("count").GetInt32();
        Assert.Equal(full.Count, count);
        string[] Strings(string name) => compact.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
        int[] Ints(string name) => compact.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var (ids, districtCodes, purposeNames, statusNames) = (Strings("ids"), Strings("districtCodes"), Strings("purposeNames"), Strings("statusNames"));
        var (district, purpose, status) = (Ints("district"), Ints("purpose"), Ints("status"));
        Assert.Equal(count, ids.Length);
        Assert.All(new[] { district.Length, purpose.Length, status.Length, compact.GetProperty("lat").GetArrayLength(), compact.GetProperty("lon").GetArrayLength() },
            length => Assert.Equal(count, length));
        for (var i = 0; i < count; i++)
        {
            // Status may change between the two reads (relays of other tests); identity, district and purpose may not.
            Assert.True(full.TryGetValue(ids[i], out var expected), $"{ids[i]} is not in the full list");
            Assert.Equal(expected.District, districtCodes[district[i]]);
            Assert.Equal(expected.Purpose, purposeNames[purpose[i]]);
            Assert.Contains(statusNames[status[i]], new[] { "online", "offline", "maintenance" });
        }

        // Compressed when the client accepts it, and revalidated by its ETag.
        var gzipped = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras/compact");
        gzipped.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        gzipped.Headers.AcceptEncoding.ParseAdd("gzip");
        using var zipped = await Node.Http.SendAsync(gzipped);
        Assert.Equal("gzip", Assert.Single(zipped.Content.Headers.ContentEncoding));
        var zippedBytes = await zipped.Content.ReadAsByteArrayAsync();
        Assert.True(zippedBytes.Length < text.Length / 3, $"{zippedBytes.Length} compressed bytes of {text.Length}");
        await using (var unzip = new GZipStream(new MemoryStream(zippedBytes), CompressionMode.Decompress))
            Assert.Equal(count, JsonDocument.Parse(unzip).RootElement.GetProperty("count").GetInt32());
        var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras/compact");
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await Node.Http.SendAsync(again);
        Assert.True(notModified.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.OK, notModified.StatusCode.ToString());
        if (notModified.StatusCode == HttpStatusCode.OK) Assert.NotEqual(response.Headers.ETag, notModified.Headers.ETag); // the catalog changed meanwhile

        using var anonymous = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/compact", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The map shows exactly the cameras of the list, every one in one legend class.
        var page = await SignedInPageAsync(operatorId: "compact-map", ready: AccessReady);
        try
        {
            Assert.Equal(count, int.Parse(await page.EvalOnSelectorAsync<string>("body", "b => b.dataset.cameras")));
            var shown = await ShownAccessCountsAsync(page);
            Assert.Equal(count, AccessClasses.Sum(c => shown[c]));
            Assert.Equal(ids.Order(StringComparer.Ordinal), (await page.EvaluateAsync<string[]>("() => window.safetynet.cameraIds()")).Order(StringComparer.Ordinal));
            var first = await page.EvaluateAsync<JsonElement>("id => window.safetynet.cameraLatLng(id)", ids[0]);
            Assert.Equal(compact.GetProperty("lat")[0].GetDouble(), first.GetProperty("lat").GetDouble(), 6);
            Assert.Equal(compact.GetProperty("lon")[0].GetDouble(), first.GetProperty("lng").GetDouble(), 6);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
