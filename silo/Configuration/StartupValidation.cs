using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SafetyNet.Silo.Configuration;

/// <summary>
/// Binds and validates the options needed before the host exists (to configure Orleans), and validates the others before the
/// host starts, failing with every problem named.
/// </summary>
public static class StartupValidation
{
    /// <summary>
    /// DataAnnotations' RangeAttribute sets itself up on first use without a lock (dotnet/runtime#1143), and its instances are
    /// shared by every host in the process, so nodes started side by side (the tests do) validate one at a time: two at once
    /// threw InvalidCastException ("TimeSpan to String") from a valid setting.
    /// </summary>
    private static readonly Lock OneAtATime = new();

    public static T BindValidated<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(section, typeof(T), [$"Section '{section}': {e.Message} {e.InnerException?.Message}"]);
        }
        var results = new List<ValidationResult>();
        bool valid;
        lock (OneAtATime) valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (!valid) throw new OptionsValidationException(section, typeof(T), results.Select(r => $"{section}: {r.ErrorMessage}"));
        return options;
    }

    /// <summary>
    /// Validates every options class registered to be validated at start, before the host starts: each is then cached, so
    /// the host's own check reads them without validating again.
    /// </summary>
    public static void ValidateAll(IServiceProvider services)
    {
        lock (OneAtATime) services.GetRequiredService<IStartupValidator>().Validate();
    }
}
