using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Media;

/// <summary>How a media endpoint refuses a lease that no longer holds: 403 with the lease-end reason code and its explanation.</summary>
public static class LeaseRefusal
{
    public static ProblemHttpResult Ended(LeaseCheck check) =>
        TypedResults.Problem($"The lease has ended ({check.Reason}): {LeaseEndReasons.Explain(check.Reason ?? LeaseEndReasons.Ended)}",
            statusCode: 403, title: "Media access denied", extensions: new Dictionary<string, object?> { ["reason"] = check.Reason });
}
