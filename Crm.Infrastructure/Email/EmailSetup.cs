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
        services.AddHttpContextAccessor();
        services.AddSingleton<EmailTracking>();
        services.AddSingleton<IEmailTracking>(sp => sp.GetRequiredService<EmailTracking>());
        services.AddTransient<IMailSender, OutlookSender>();
        services.AddSingleton<RecordTrackingHit>();
        services.AddHostedService<SmtpLoggingListener>();
        return services;
    }
}
