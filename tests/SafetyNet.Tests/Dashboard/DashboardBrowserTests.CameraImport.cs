using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const string ImportReady = "() => document.querySelector('#camera-import input[type=file]') !== null && document.body.dataset.districts === '25'";

    [Fact]
    public async Task A_district_admin_imports_the_list_Korean_Excel_saved_and_reads_each_rejected_row_by_line()
    {
        // As Jongno-gu's office keeps its list: Korean Excel's "CSV (comma delimited)" (CP949, which Windows hands the
        // browser as application/vnd.ms-excel), the standard data's column names, a name typed over two lines.
        var csv = "id,name,WGS84위도,WGS84경도,설치목적구분,stream_url\n"
            + "ui-jongno-1,\"종로구청 앞\n교차로\",37.5735,126.9790,생활방범,rtsp://10.30.2.5/cam\n"
            + "ui-jongno-2,혜화역,37.5822,127.0018,쓰레기단속,rtsp://10.30.2.6/cam\n"
            + "ui-jung-1,시청,37.5663,126.9779,교통단속,rtsp://10.30.2.7/cam\n"
            + "ui-jongno-3,종로구청 서측,37.5735,126.9790,교통단속,ftp://10.30.2.8/cam\n";
        var page = await SignedInPageAsync("control-jongno", "admin-jongno", "district-admin", ImportReady);
        try
        {
            await page.SetInputFilesAsync("#camera-import input[type=file]",
                new FilePayload { Name = "종로구_CCTV.csv", MimeType = "application/vnd.ms-excel", Buffer = KoreanEncoding.Cp949(csv) });
            await page.WaitForFunctionAsync("() => document.body.dataset.cameraImport !== undefined");
            Assert.Equal("1/0/3", await page.EvaluateAsync<string>("() => document.body.dataset.cameraImport"));
            Assert.Contains("EUC-KR", await page.TextContentAsync("#camera-import .encoding"));
            // A new page opens in Korean: each rejected row reads in Korean, worded from its code and values.
            Assert.Equal("ko", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            Assert.Contains("설치목적 '쓰레기단속'에 대응하는 SafetyNet 용도가 없습니다", await page.TextContentAsync("#camera-import tr[data-row='4']"));
            // The district it names reads by name as well as code.
            Assert.Contains("소속 자치구에만 가져올 수 있습니다. 중구(11020)에는", await page.TextContentAsync("#camera-import tr[data-row='5']"));
            // A refused stream address reads by the rule it broke, in Korean, not the server's English.
            var refusedStream = await page.TextContentAsync("#camera-import tr[data-row='6']");
            Assert.Contains("스트림 주소(stream_url)를 받을 수 없습니다: 'ftp' 스킴은 허용되지 않습니다. 허용하는 스킴: rtsp", refusedStream);
            Assert.DoesNotContain("is not allowed", refusedStream);

            var token = await Node.TokenAsync("seoul-112", "import-reader", "operator");
            using var camera = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/ui-jongno-1", token);
            var imported = await camera.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("종로구청 앞\n교차로", imported.GetProperty("name").GetString());
            Assert.Equal("crime-prevention", imported.GetProperty("purpose").GetString());
            // The map redraws with the new camera, so the admin can open its masks at once.
            await page.WaitForFunctionAsync("() => window.safetynet.cameraIds().includes('ui-jongno-1')");
            await page.Locator("#camera-import").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, "21-camera-import");

            // The list corrected and saved as UTF-8 updates the camera instead of adding it again, and says so.
            await page.SetInputFilesAsync("#camera-import input[type=file]",
                new FilePayload { Name = "종로구_CCTV_utf8.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv.Replace("교차로", "교차로 북측")) });
            await page.WaitForFunctionAsync("() => document.body.dataset.cameraImport === '0/1/3'");
            Assert.Contains("UTF-8", await page.TextContentAsync("#camera-import .encoding"));
            using var corrected = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/ui-jongno-1", token);
            Assert.Equal("종로구청 앞\n교차로 북측", (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

            // Saved again from Excel as "Unicode text" (.txt: UTF-16 with its mark, tab-separated).
            var unicodeText = csv.Replace(",", "\t").Replace("교차로", "교차로 남측");
            await page.SetInputFilesAsync("#camera-import input[type=file]", new FilePayload
            {
                Name = "종로구_CCTV.txt", MimeType = "text/plain",
                Buffer = [.. System.Text.Encoding.Unicode.Preamble, .. System.Text.Encoding.Unicode.GetBytes(unicodeText)],
            });
            await page.WaitForFunctionAsync("() => document.body.dataset.cameraImport === '0/1/3' && document.querySelector('#camera-import .encoding')?.textContent.includes('UTF-16')");
            using var again = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/ui-jongno-1", token);
            Assert.Equal("종로구청 앞\n교차로 남측", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

            // In English the same rows read in English.
            await page.ClickAsync("#lang");
            await page.WaitForFunctionAsync("() => document.querySelector(\"#camera-import tr[data-row='5']\").textContent.includes('You may import only into your own district, not Jung-gu (11020).')");
            Assert.Contains("Purpose '쓰레기단속' has no SafetyNet counterpart", await page.TextContentAsync("#camera-import tr[data-row='4']"));
            Assert.Contains("The stream URL (stream_url) is refused: The scheme 'ftp' is not allowed; allowed: rtsp", await page.TextContentAsync("#camera-import tr[data-row='6']"));

            // Back in Korean, the office tries the national CCTV standard data it downloaded from data.go.kr (CP949): it
            // lists installations without ids or stream addresses, and the refusal says what to add, in Korean.
            await page.ClickAsync("#lang");
            await page.WaitForFunctionAsync("() => document.documentElement.lang === 'ko'");
            var standardData = "관리기관명,소재지도로명주소,설치목적구분,카메라대수,WGS84위도,WGS84경도,데이터기준일자\n"
                + "서울특별시 종로구청,서울특별시 종로구 세종대로 175,생활방범,2,37.5725,126.9769,2026-06-30\n";
            await page.SetInputFilesAsync("#camera-import input[type=file]",
                new FilePayload { Name = "서울특별시_종로구_CCTV_20260630.csv", MimeType = "application/vnd.ms-excel", Buffer = KoreanEncoding.Cp949(standardData) });
            await page.WaitForFunctionAsync("() => document.body.dataset.cameraImport === 'error'");
            var refusal = await page.TextContentAsync("#camera-import [role=alert]");
            Assert.Contains("전국CCTV표준데이터 파일입니다", refusal);
            Assert.Contains("id, stream_url 없음", refusal);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
