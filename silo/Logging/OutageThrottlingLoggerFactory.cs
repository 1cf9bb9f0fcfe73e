using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SafetyNet.Silo.Logging;

/// <summary>
/// The node's logger factory with <see cref="DatabaseOutageLogThrottle"/> in front of every logger it makes. It decorates the
/// factory rather than each provider, so per-provider filters (<c>Logging:Console:LogLevel</c>) still apply.
/// </summary>
public sealed class OutageThrottlingLoggerFactory(ILoggerFactory inner, DatabaseOutageLogThrottle throttle) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ThrottledLogger(inner.CreateLogger(categoryName), categoryName, throttle);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The inner factory is the container's own singleton, disposed by the container.</summary>
    public void Dispose()
    {
    }

    /// <summary>Replaces the registered <see cref="ILoggerFactory"/> (Microsoft's <see cref="LoggerFactory"/>) with this one in front of it.</summary>
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseOutageLogThrottle>();
        services.AddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new OutageThrottlingLoggerFactory(sp.GetRequiredService<LoggerFactory>(), sp.GetRequiredService<DatabaseOutageLogThrottle>())));
    }

    private sealed class ThrottledLogger(ILogger inner, string category, DatabaseOutageLogThrottle throttle) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var admission = throttle.Admit(category, eventId, exception);
            if (!admission.Log) return;
            inner.Log(logLevel, eventId, state, exception, formatter);
            if (admission.LeftOut > 0)
                inner.Log(logLevel, eventId, "{LeftOut} more like the entry above, caused by the database being unreachable, were not logged since the last one",
                    admission.LeftOut);
            else if (admission.Throttled)
                inner.Log(logLevel, eventId, "Entries like the one above, caused by the database being unreachable, are logged at most once every {Window}",
                    DatabaseOutageLogThrottle.Window);
        }
    }
}
