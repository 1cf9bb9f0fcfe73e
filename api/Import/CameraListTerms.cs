using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Import;

/// <summary>
/// The words camera lists use besides SafetyNet's own: the national CCTV standard data's (전국CCTV표준데이터) column names
/// for position and purpose and its purposes (설치목적구분), and the common English spellings of latitude and longitude.
/// A purpose decides who may see a camera, so a Korean purpose with no SafetyNet counterpart (쓰레기단속, 기타, …) is
/// rejected, never guessed.
/// </summary>
public static class CameraListTerms
{
    private static readonly Dictionary<string, string> ColumnAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["latitude"] = "lat",
        ["longitude"] = "lon",
        ["lng"] = "lon",
        ["위도"] = "lat",
        ["wgs84위도"] = "lat",
        ["경도"] = "lon",
        ["wgs84경도"] = "lon",
        ["설치목적구분"] = "purpose",
        ["설치목적"] = "purpose",
    };

    private static readonly Dictionary<string, CameraPurpose> Purposes = new()
    {
        ["생활방범"] = CameraPurpose.CrimePrevention,
        ["방범"] = CameraPurpose.CrimePrevention,
        ["차량방범"] = CameraPurpose.CrimePrevention,
        ["어린이보호"] = CameraPurpose.ChildProtection,
        ["교통단속"] = CameraPurpose.Traffic,
        ["교통정보수집"] = CameraPurpose.Traffic,
        ["재난재해"] = CameraPurpose.Disaster,
        ["시설물관리"] = CameraPurpose.Facility,
        ["주정차단속"] = CameraPurpose.Parking,
        ["불법주정차단속"] = CameraPurpose.Parking,
    };

    // The standard data's columns besides position and purpose: what an installation is, not how to reach its cameras.
    private static readonly HashSet<string> StandardDataColumns =
        ["관리기관명", "소재지도로명주소", "소재지지번주소", "카메라대수", "카메라화소수", "촬영방면정보", "보관일수", "설치연월", "관리기관전화번호", "데이터기준일자"];

    public static string Expected => string.Join(", ", Purposes.Keys);

    /// <summary>Whether a header is the national CCTV standard data's, which lists installations without ids or stream addresses.</summary>
    public static bool IsStandardData(IEnumerable<string> header) => header.Count(name => StandardDataColumns.Contains(name.Replace(" ", ""))) >= 3;

    /// <summary>The column's own name, or the SafetyNet name it stands for.</summary>
    public static string ColumnName(string header) => ColumnAliases.GetValueOrDefault(header.Replace(" ", ""), header);

    public static bool TryPurpose(string? text, out CameraPurpose purpose) => Purposes.TryGetValue(text?.Replace(" ", "") ?? "", out purpose);
}
