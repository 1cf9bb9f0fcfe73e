using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace SafetyNet.Api.Auth;

/// <summary>Whose bucket a request counts against: the authenticated principal (agency/subject), else the client address.</summary>
public static class CallerPartition
{
    public static string Of(HttpContext http) =>
        http.User.FindFirstValue(ClaimNames.Agency) is { } agency
            ? $"{agency}/{http.User.FindFirstValue(ClaimNames.Subject)}"
            : $"ip:{http.Connection.RemoteIpAddress}";
}
