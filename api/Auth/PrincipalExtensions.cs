using System.Security.Claims;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Auth;

public static class PrincipalExtensions
{
    /// <summary>The caller as grains see it: built only from the validated token's claims.</summary>
    public static OperatorPrincipal ToOperator(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimNames.Subject) ?? throw new InvalidOperationException("An authenticated token carries no subject."),
        user.FindFirstValue(ClaimNames.Agency) ?? throw new InvalidOperationException("An authenticated token carries no agency."),
        user.FindFirstValue(ClaimNames.Role) ?? throw new InvalidOperationException("An authenticated token carries no role."),
        user.FindFirstValue(ClaimNames.Session));
}
