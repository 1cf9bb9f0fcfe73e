using System.Data.Common;

namespace SafetyNet.Contracts.Errors;

public static class ExceptionChain
{
    /// <summary>The exception and the ones it wraps, outermost first: a refusal may arrive wrapped (an activation's error).</summary>
    public static IEnumerable<Exception> AndInner(this Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException) yield return e;
    }

    /// <summary>The refusal of <paramref name="kind"/> in the exception or any it wraps.</summary>
    public static DomainException? Refusal(this Exception exception, DomainErrorKind kind) =>
        exception.AndInner().OfType<DomainException>().FirstOrDefault(domain => domain.Kind == kind);

    /// <summary>
    /// A fault of the connection to the database rather than of the statement: a database that restarted or failed over
    /// leaves the node's pooled connections dropped, one that went silent times them out. The driver calls those (and a
    /// serialization conflict) transient; PostgreSQL's shutdown and connection codes are named as well.
    /// </summary>
    public static bool IsTransientDatabaseFault(this Exception exception) => exception.AndInner().OfType<DbException>()
        .Any(db => db.IsTransient || db.SqlState is "57P01" or "57P02" or "57P03" || db.SqlState?.StartsWith("08", StringComparison.Ordinal) == true);
}
