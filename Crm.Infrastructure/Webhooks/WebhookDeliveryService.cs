using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Webhooks;

/// <summary>The app's delivery loop: dispatch new events, send what is due, and rest a moment when there was nothing.</summary>
public sealed class WebhookDeliveryService(WebhookSender sender, WebhookSettings settings, ILogger<WebhookDeliveryService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled) return;
        var rest = TimeSpan.FromSeconds(Math.Clamp(settings.PollSeconds, 0.05, 60));
        var cleaned = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy |= await sender.DispatchAsync(stoppingToken) > 0;
                busy |= await sender.SendDueAsync(stoppingToken, settings.Concurrency) > 0;
                if (DateTimeOffset.UtcNow - cleaned > TimeSpan.FromHours(1))
                {
                    await sender.CleanUpAsync(stoppingToken);
                    cleaned = DateTimeOffset.UtcNow;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed round (the database busy, say) is tried again; nothing was lost, the outbox still holds it.
                log.LogError(e, "A webhook delivery round failed; trying again shortly.");
            }
            if (!busy)
            {
                try { await Task.Delay(rest, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
