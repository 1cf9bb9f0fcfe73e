using System.Diagnostics;
using System.Globalization;
using System.Text;
using SafetyNet.Api.Import;
using SafetyNet.Api.Interop;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Import;

/// <summary>
/// Reading files as districts and agencies send them, alone (no node): a camera list through the CSV reader the import
/// uses, in UTF-8 and in CP949 (Korean Excel), with quoted names over two lines; a Korean grid position converted to
/// WGS84; and a boundary file of the synthetic nation's 241 local governments with many vertices each, as the node reads
/// it at start.
/// </summary>
public static class ImportFilesBenchmark
{
    private const int Trials = 3;

    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_500_000;
        var vertices = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4_000;
        Console.WriteLine($"## import-files: {rows:N0} camera rows; boundaries of 241 districts with {vertices:N0} vertices each\n");

        var csv = CameraList(rows);
        Console.WriteLine("| file | size | best of 3 | rows/s | MB/s | allocated per row |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var charset in new[] { BodyCharsets.Utf8, BodyCharsets.Korean })
        {
            var bytes = BodyCharsets.Strict(charset).GetBytes(csv);
            var (best, allocated, read) = await BestOfAsync(async () =>
            {
                var count = 0;
                using var reader = new StreamReader(new MemoryStream(bytes), BodyCharsets.Replacing(charset));
                await foreach (var row in CsvCameraReader.ReadAsync(reader, charset))
                    if (row.Rejection is null) count++;
                return count;
            });
            if (read != rows) throw new InvalidOperationException($"{charset}: read {read} of {rows} rows");
            Console.WriteLine($"| camera list, {charset} | {bytes.Length / 1e6:F1} MB | {best.TotalSeconds:F2} s | {rows / best.TotalSeconds:N0} | "
                + $"{bytes.Length / 1e6 / best.TotalSeconds:F1} | {allocated / (double)rows:N0} B |");
        }

        Console.WriteLine();
        // UTM-K and its Korean 1985 (Bessel) twin, which adds the datum shift through geocentric coordinates.
        foreach (var epsg in new[] { 5179, 5178 })
        {
            var grid = GeoJsonCrs.Named($"EPSG:{epsg}")!;
            const int conversions = 5_000_000;
            var converted = Stopwatch.StartNew();
            var sink = 0.0;
            for (var i = 0; i < conversions; i++) sink += grid.ToWgs84(900_000 + i % 200_000, 1_700_000 + i % 300_000).Latitude;
            converted.Stop();
            Console.WriteLine($"{grid.Description} to WGS84: {converted.Elapsed.TotalMilliseconds * 1e6 / conversions:F0} ns per position ({conversions:N0}; checksum {sink:E3}).");
        }

        var region = Region.Named(Region.KoreaName, 2017);
        var boundaries = Encoding.UTF8.GetBytes(BoundaryFile(region, vertices));
        var (loaded, loadAllocated, districts) = await BestOfAsync(() => Task.FromResult(DistrictBoundaries.Read(new MemoryStream(boundaries), region).Codes.Count));
        Console.WriteLine($"Boundary file: {boundaries.Length / 1e6:F1} MB, {districts} districts, {districts * (long)vertices:N0} vertices, read in "
            + $"{loaded.TotalSeconds:F2} s (best of {Trials}), {loadAllocated / 1e6:F0} MB allocated.");
    }

    private static async Task<(TimeSpan Best, long Allocated, int Result)> BestOfAsync(Func<Task<int>> run)
    {
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        var result = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            result = await run();
            clock.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return (best, allocated, result);
    }

    // Seoul positions, the national standard data's Korean column names and purposes, every tenth name quoted with a
    // comma and every hundredth over two lines.
    private static string CameraList(int rows)
    {
        var text = new StringBuilder("id,name,WGS84위도,WGS84경도,설치목적구분,stream_url\n");
        var random = new Random(5);
        for (var i = 0; i < rows; i++)
        {
            var name = i % 100 == 0 ? $"\"종로구 {i}번\n교차로\"" : i % 10 == 0 ? $"\"세종대로 {i}, 북측\"" : $"세종대로 {i}";
            text.Append(CultureInfo.InvariantCulture, $"cam-{i},{name},{37.45 + random.NextDouble() * 0.2:F6},{126.85 + random.NextDouble() * 0.3:F6},생활방범,rtsp://10.{i % 250}.{i / 250 % 250}.1/stream1\n");
        }
        return text.ToString();
    }

    // Every district of the region as a closed ring of the given number of vertices around its centroid, with its area.
    private static string BoundaryFile(Region region, int vertices)
    {
        var text = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        foreach (var district in region.Districts)
        {
            var radius = Math.Sqrt(district.AreaKm2 / Math.PI) / 111.195;
            if (text[^1] != '[') text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{district.Code}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[");
            for (var v = 0; v <= vertices; v++)
            {
                var angle = 2 * Math.PI * (v % vertices) / vertices;
                var lat = district.Centroid.Latitude + radius * Math.Sin(angle);
                var lon = district.Centroid.Longitude + radius * Math.Cos(angle) / Math.Cos(district.Centroid.Latitude * Math.PI / 180);
                text.Append(CultureInfo.InvariantCulture, $"{(v == 0 ? "" : ",")}[{lon:F7},{lat:F7}]");
            }
            text.Append("]]}}");
        }
        return text.Append("]}").ToString();
    }
}
