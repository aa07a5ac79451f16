using System.Globalization;
using System.Text.Json.Nodes;
using MimeKit;

namespace Crm.Sandbox.Google;

/// <summary>A stored message in the shape messages.get gives it for each <c>format</c> (Gmail's Message and MessagePart resources).</summary>
public static class GmailMessages
{
    public static JsonObject Render(GmailStoredMessage message, string format, IReadOnlyList<string> metadataHeaders)
    {
        var mime = MimeMessage.Load(new MemoryStream(message.Raw));
        var body = new JsonObject
        {
            ["id"] = message.Id,
            ["threadId"] = message.ThreadId,
            ["labelIds"] = new JsonArray(message.Labels.Select(l => (JsonNode)l).ToArray()),
            ["snippet"] = Snippet(mime),
            ["historyId"] = message.HistoryId.ToString(CultureInfo.InvariantCulture),
            ["internalDate"] = message.InternalDate.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["sizeEstimate"] = message.Raw.Length,
        };
        switch (format)
        {
            case "raw":
                body["raw"] = GmailSandbox.ToBase64Url(message.Raw);
                break;
            case "metadata":
                body["payload"] = new JsonObject
                {
                    ["mimeType"] = mime.Body?.ContentType.MimeType ?? "text/plain",
                    ["headers"] = Headers(mime.Headers, metadataHeaders),
                };
                break;
            case "full":
                var root = Part(mime.Body, "", mime.Headers);
                body["payload"] = root;
                break;
        }
        return body;
    }

    private static JsonArray Headers(HeaderList headers, IReadOnlyList<string>? only = null) =>
        new(headers.Where(h => only is null || only.Count == 0 || only.Contains(h.Field, StringComparer.OrdinalIgnoreCase))
            .Select(h => (JsonNode)new JsonObject { ["name"] = h.Field, ["value"] = h.Value }).ToArray());

    private static JsonObject Part(MimeEntity? entity, string partId, HeaderList? messageHeaders = null)
    {
        var part = new JsonObject
        {
            ["partId"] = partId,
            ["mimeType"] = entity?.ContentType.MimeType ?? "text/plain",
            ["filename"] = (entity as MimePart)?.FileName ?? "",
            ["headers"] = Headers(messageHeaders ?? entity?.Headers ?? []),
        };
        switch (entity)
        {
            case Multipart multipart:
                part["body"] = new JsonObject { ["size"] = 0 };
                part["parts"] = new JsonArray(multipart.Select((child, i) => (JsonNode)Part(child, partId.Length == 0 ? i.ToString(CultureInfo.InvariantCulture) : $"{partId}.{i}")).ToArray());
                break;
            case MimePart leaf:
                using (var decoded = new MemoryStream())
                {
                    leaf.Content?.DecodeTo(decoded);
                    var bytes = decoded.ToArray();
                    part["body"] = leaf.IsAttachment
                        ? new JsonObject { ["attachmentId"] = $"att-{partId}", ["size"] = bytes.Length }
                        : new JsonObject { ["size"] = bytes.Length, ["data"] = GmailSandbox.ToBase64Url(bytes) };
                }
                break;
            case MessagePart embedded:
                using (var buffer = new MemoryStream())
                {
                    embedded.Message?.WriteTo(buffer);
                    part["body"] = new JsonObject { ["attachmentId"] = $"att-{partId}", ["size"] = buffer.Length };
                }
                break;
            default:
                part["body"] = new JsonObject { ["size"] = 0 };
                break;
        }
        return part;
    }

    private static string Snippet(MimeMessage mime)
    {
        var text = mime.TextBody ?? "";
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 200 ? text[..200] : text;
    }
}
