using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Auth;

/// <summary>Whether the caller manages a district: platform admins manage all; a district admin only their agency's own district(s).</summary>
public static class DistrictScope
{
    public static async Task<bool> ManagesAsync(ClaimsPrincipal user, string districtCode, IGrainFactory grains) =>
        (await ManagedAsync(user, grains))(districtCode);

    /// <summary>The 404 or 403 to answer unless the caller manages the district of camera <paramref name="id"/>; null when they do.</summary>
    public static async Task<ProblemHttpResult?> RefuseCameraAsync(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        (await ManagedCameraAsync(id, user, grains)).Refusal;

    /// <summary>Camera <paramref name="id"/> when the caller manages its district; else the 404 or 403 to answer.</summary>
    public static async Task<(CameraInfo? Camera, ProblemHttpResult? Refusal)> ManagedCameraAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await grains.GetGrain<ICameraGrain>(id).GetAsync() is not { } camera) return (null, Problems.NotFound($"There is no camera with id '{id}'."));
        return await ManagesAsync(user, camera.DistrictCode, grains)
            ? (camera, null)
            : (null, Problems.Forbidden($"Camera '{id}' belongs to district {camera.DistrictCode}, which you do not manage."));
    }

    /// <summary>The test <see cref="ManagesAsync"/> applies, read once for a question about many districts (an import).</summary>
    public static async Task<Func<string, bool>> ManagedAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        if (user.IsInRole(Roles.PlatformAdmin)) return _ => true;
        if (!user.IsInRole(Roles.DistrictAdmin)) return _ => false;
        var agency = await grains.GetGrain<IAgencyGrain>(user.ToOperator().AgencyId).GetAsync();
        return agency is { CityWide: false } ? agency.Districts.Contains : _ => false;
    }
}
