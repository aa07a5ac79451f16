using Crm.Core.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Infrastructure.Email;

public static class EmailSetup
{
    public static IServiceCollection AddCrmEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection("Email"));
        services.AddSingleton<IEmailBodySanitizer, HtmlBodySanitizer>();
        services.AddSingleton<ILoggingAddresses, LoggingAddresses>();
        services.AddSingleton<ReceiveLoggedMailHandler>();
        services.AddHostedService<SmtpLoggingListener>();
        return services;
    }
}
