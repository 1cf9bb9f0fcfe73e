using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Api.Errors;

/// <summary>Turns refusals and malformed requests into RFC 9457 ProblemDetails with the reason; only real faults stay 500.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, reason) = Classify(exception);
        // One line per refused request, with the cause's message: a database outage refuses every request that needs it, and
        // the ledger's writer and Orleans' storage log the cause in full where it happened.
        if (status == 503) logger.LogWarning("Refused {Path} for now: {Title}: {Reason}", context.Request.Path, title, exception.GetBaseException().Message);
        else if (status >= 500) logger.LogError(exception, "Unhandled fault on {Path}", context.Request.Path);
        context.Response.StatusCode = status;
        if (status == 503) context.Response.Headers.RetryAfter = "2";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = reason is null ? [] : new Dictionary<string, object?> { ["reason"] = reason } },
        });
    }

    /// <summary>The status, title and detail of the problem, and for a "not now" refusal a code a console can word for its operator (<see cref="RefusalReasons"/>).</summary>
    private static (int Status, string Title, string? Detail, string? Reason) Classify(Exception exception) => exception switch
    {
        // Also when Orleans wrapped it: grain storage refused a state read or write (an activation's, say) during the outage.
        _ when exception.Refusal(DomainErrorKind.DatabaseUnreachable) is { } e => (503, "Database unreachable", e.Message, RefusalReasons.DatabaseUnreachable),
        // Also when Orleans wrapped it: a grain whose stored state failed its seal does not activate.
        _ when exception.Refusal(DomainErrorKind.StateRefused) is { } e => (503, "Stored state refused", e.Message, RefusalReasons.StoredStateRefused),
        DomainException { Kind: DomainErrorKind.NotFound } e => (404, "Not found", e.Message, null),
        DomainException { Kind: DomainErrorKind.Forbidden } e => (403, "Forbidden", e.Message, null),
        DomainException { Kind: DomainErrorKind.Conflict } e => (409, "Conflict", e.Message, e.Reason),
        DomainException { Kind: DomainErrorKind.TooMany } e => (429, "Too many viewers", e.Message, null),
        DomainException { Kind: DomainErrorKind.Unavailable } e => (503, "Capacity exhausted", e.Message, e.Reason),
        DomainException { Kind: DomainErrorKind.LedgerUnavailable } e => (503, "Audit ledger unavailable", e.Message, RefusalReasons.LedgerUnavailable),
        DomainException e => (400, "Invalid request", e.Message, null),
        BadHttpRequestException e => (e.StatusCode, e.StatusCode == 413 ? "Request body too large" : "Bad request", Describe(e), null),
        JsonException e => (400, "Malformed JSON", e.Message, null),
        // A silo leaving or just lost: the request may succeed on retry once membership settles.
        OrleansMessageRejectionException or SiloUnavailableException =>
            (503, "Temporarily unavailable", "The cluster is re-balancing after a node left; retry shortly.", RefusalReasons.ClusterNotAnswering),
        // No answer in time: a silo that left, or a grain whose activation waited on a database that went silent (Orleans
        // then cancels the activation). A request the client gave up on never gets here (the middleware answers it 499).
        TimeoutException or OperationCanceledException =>
            (503, "Temporarily unavailable", "Part of the cluster did not answer in time (a node leaving, or the database not answering); retry shortly.",
                RefusalReasons.ClusterNotAnswering),
        // A database that restarted or failed over: the first request on each dropped pooled connection fails, then the pool is opened afresh.
        _ when exception.IsTransientDatabaseFault() =>
            (503, "Temporarily unavailable", "The database connection was lost (a restart or failover); retry shortly.", RefusalReasons.DatabaseConnectionLost),
        _ => (500, "Internal error", null, null),
    };

    private static string Describe(BadHttpRequestException e) =>
        e.InnerException is JsonException json ? $"{e.Message} {json.Message}" : e.Message;
}
