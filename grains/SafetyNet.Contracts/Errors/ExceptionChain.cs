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
}
