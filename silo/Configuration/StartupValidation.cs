using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SafetyNet.Silo.Configuration;

/// <summary>Binds and validates the options needed before the host exists (to configure Orleans), failing with every problem named.</summary>
public static class StartupValidation
{
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
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            throw new OptionsValidationException(section, typeof(T), results.Select(r => $"{section}: {r.ErrorMessage}"));
        return options;
    }
}
