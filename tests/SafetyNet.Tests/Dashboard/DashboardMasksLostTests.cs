using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// A 112 operator finds a camera whose privacy-mask record an insider deleted from the database shown offline on the map,
/// and opens it anyway: the console says, in Korean, that the camera is withheld because that record is missing and its
/// district's admin must set the masks again, and plays nothing. Once the admin has, the map offers it again. A running
/// camera keeps its record in memory, so the row is deleted under a stopped node and read back by a restarted one: this
/// class has a node of its own, not the shared fixture's.
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardMasksLostTests(ITestOutputHelper output)
{
    /// <summary>A Jung-gu camera the 112 center sees under standing policy.</summary>
    private const string Camera = "11020-00031";

    private static readonly Dictionary<string, string?> Settings = new() { ["Leases:PrewarmCount"] = "0" };

    [Fact]
    public async Task A_camera_whose_mask_record_was_deleted_is_withheld_and_the_operator_is_told_why_in_Korean()
    {
        var node = await TestNode.StartAsync(2_000, extra: Settings);
        try
        {
            await SetMaskAsync(node);
            await node.DisposeAsync();
            await DeleteCameraRecordAsync(node);
            node = await TestNode.StartAsync(2_000, node.DataDirectory, Settings);

            using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
            var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(page, "seoul-112", "masks-lost-operator", "operator", DashboardFixture.AccessReady);
            // The map does not offer it: its district's check at the node's start took it offline.
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'offline'", Camera);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", Camera);

            var reason = page.Locator("#camera .denied[data-reason='masks-record-lost']");
            await reason.WaitForAsync();
            var shown = await reason.TextContentAsync();
            output.WriteLine($"shown: {shown}");
            Assert.Contains("사생활 보호 마스크 기록이 없거나", shown);
            Assert.Contains("자치구 관리자가 마스크를 다시 설정해야 합니다", shown);
            Assert.Equal(0, await page.Locator("#camera video, #camera img").CountAsync());
            await DashboardFixture.ScreenshotAsync(page, "14-camera-panel-masks-lost", output);

            // Its district's admin sets the masks again: the operator's map offers the camera again, without a reload.
            await SetMaskAsync(node);
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", Camera);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private static async Task SetMaskAsync(TestNode node)
    {
        var admin = await node.TokenAsync("control-jung", "admin-masks-lost", "district-admin");
        using var put = await node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{Camera}/masks", admin,
            JsonContent.Create(new { polygons = new[] { new { points = new[] { new { x = 0.1, y = 0.1 }, new { x = 0.9, y = 0.1 }, new { x = 0.9, y = 0.9 } } } } }));
        Assert.True(put.IsSuccessStatusCode, $"{(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
    }

    /// <summary>What the insider does: the camera's row gone from the grain storage, the district's note of its masks left.</summary>
    private static async Task DeleteCameraRecordAsync(TestNode stopped)
    {
        await using var connection = new SqliteConnection($"Data Source={NodeGrantRows.DatabaseFile(stopped)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM OrleansStorage WHERE GrainTypeString = 'camera' AND GrainIdExtensionString = $camera";
        command.Parameters.AddWithValue("$camera", Camera);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
