namespace Crm.Infrastructure.Email;

/// <summary>The "Email" configuration section.</summary>
public sealed class EmailOptions
{
    /// <summary>The domain of every workspace's logging address (its MX points at the inbound webhook's provider or at the SMTP listener).</summary>
    public string LoggingDomain { get; set; } = "log.crm.localhost";
    /// <summary>The bearer secret a mail provider's inbound webhook sends; unset, the HTTP inbound path is off.</summary>
    public string? InboundSecret { get; set; }
    public SmtpListenerOptions Smtp { get; set; } = new();
    /// <summary>The app's address as recipients reach it (tracking pixels and links); unset, the address of the request that sends.</summary>
    public string? PublicUrl { get; set; }
}

public sealed class SmtpListenerOptions
{
    /// <summary>Off by default: for self-hosting, where this app receives the logging domain's mail itself.</summary>
    public bool Enabled { get; set; }
    public int Port { get; set; } = 2525;
    public string ServerName { get; set; } = "crm";
}
