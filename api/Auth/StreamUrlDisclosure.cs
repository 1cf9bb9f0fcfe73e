using System.Security.Claims;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Camera secrets never leave the node: a stream URL (and an ONVIF URL) is shown as stored (credentials and all) only to those who manage
/// the camera's district, a platform admin or that district's admin; everyone else sees it with the credentials removed.
/// </summary>
public static class StreamUrlDisclosure
{
    public static async Task<CameraInfo> ForCallerAsync(CameraInfo camera, ClaimsPrincipal user, IGrainFactory grains) =>
        await DistrictScope.ManagesAsync(user, camera.DistrictCode, grains)
            ? camera
            : camera with { StreamUrl = StreamUrls.Redact(camera.StreamUrl), OnvifUrl = camera.OnvifUrl is { } onvif ? StreamUrls.Redact(onvif) : null };
}
