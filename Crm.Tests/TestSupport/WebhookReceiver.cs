using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Crm.Tests.TestSupport;

/// <summary>
/// A receiving endpoint on 127.0.0.1: keeps every request (body and headers) and answers what the test queued
/// (status and headers), <see cref="DefaultStatus"/> when nothing is queued.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, IHeaderDictionary Headers);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; }
    /// <summary>The answer when nothing is queued.</summary>
    public int DefaultStatus { get; set; } = 200;
    /// <summary>How long the default answer takes (a queued answer goes at once).</summary>
    public TimeSpan DefaultDelay { get; set; } = TimeSpan.Zero;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}");
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            receiver.Requests.Enqueue(new Received(context.Request.Path, body, headers));
            if (receiver._answers.TryDequeue(out var answer)) await answer(context);
            else
            {
                if (receiver.DefaultDelay > TimeSpan.Zero) await Task.Delay(receiver.DefaultDelay);
                context.Response.StatusCode = receiver.DefaultStatus;
            }
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The next request is answered with this status (and a Retry-After, or a Location, when given).</summary>
    public void Answer(int status, string? retryAfter = null, string? location = null, string? body = null) => _answers.Enqueue(async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
        if (location is not null) context.Response.Headers.Location = location;
        if (body is not null) await context.Response.WriteAsync(body);
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
