namespace SafetyNet.Contracts.Media;

/// <summary>Lease ids carry their camera ("{cameraId}~{random}") so that any node can route a renewal to the right camera grain.</summary>
public static class LeaseIds
{
    public static string New(string cameraId) => $"{cameraId}~{Guid.NewGuid():N}";

    public static string? CameraOf(string leaseId)
    {
        var cut = leaseId.LastIndexOf('~');
        return cut > 0 ? leaseId[..cut] : null;
    }
}
