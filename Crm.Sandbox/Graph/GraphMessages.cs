using System.Globalization;
using System.Text.Json.Nodes;
using MimeKit;

namespace Crm.Sandbox.Graph;

/// <summary>A stored message as Graph's message resource (what <c>$select</c> asks for, always with its id).</summary>
public static class GraphMessages
{
    public static JsonObject Render(GraphStoredMessage stored, string folderId, IReadOnlySet<string> select)
    {
        var mime = MimeMessage.Load(new MemoryStream(stored.Raw));
        var html = mime.HtmlBody;
        var sent = mime.Date == DateTimeOffset.MinValue ? stored.Received : mime.Date.ToUniversalTime();
        var all = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.message",
            ["@odata.etag"] = $"W/\"CQAAABYAAAD{stored.Sequence}\"",
            ["id"] = stored.Id,
            ["createdDateTime"] = Iso(stored.Received),
            ["lastModifiedDateTime"] = Iso(stored.Received),
            ["changeKey"] = "CQAAABYAAAD" + stored.Sequence.ToString(CultureInfo.InvariantCulture),
            ["categories"] = new JsonArray(),
            ["receivedDateTime"] = Iso(stored.Received),
            ["sentDateTime"] = Iso(sent),
            ["hasAttachments"] = mime.Attachments.Any(),
            ["internetMessageId"] = mime.MessageId is { } id ? $"<{id}>" : null,
            ["subject"] = mime.Subject ?? "",
            ["bodyPreview"] = Preview(mime.TextBody),
            ["importance"] = "normal",
            ["parentFolderId"] = folderId,
            ["conversationId"] = stored.ConversationId,
            ["isDeliveryReceiptRequested"] = false,
            ["isReadReceiptRequested"] = false,
            ["isRead"] = stored.Folder == "sentitems",
            ["isDraft"] = false,
            ["webLink"] = $"https://outlook.office365.com/owa/?ItemID={Uri.EscapeDataString(stored.Id)}&exvsurl=1&viewmodel=ReadMessageItem",
            ["inferenceClassification"] = "focused",
            ["body"] = new JsonObject { ["contentType"] = html is null ? "text" : "html", ["content"] = html ?? mime.TextBody ?? "" },
            ["sender"] = Recipient(mime.Sender ?? mime.From.Mailboxes.FirstOrDefault()),
            ["from"] = Recipient(mime.From.Mailboxes.FirstOrDefault()),
            ["toRecipients"] = Recipients(mime.To),
            ["ccRecipients"] = Recipients(mime.Cc),
            ["bccRecipients"] = Recipients(mime.Bcc),
            ["replyTo"] = Recipients(mime.ReplyTo),
            ["flag"] = new JsonObject { ["flagStatus"] = "notFlagged" },
        };
        // Only on $select, as Graph gives them.
        if (select.Contains("internetMessageHeaders"))
            all["internetMessageHeaders"] = new JsonArray(mime.Headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Field, ["value"] = h.Value }).ToArray());
        if (select.Count == 0) return all;
        var picked = new JsonObject { ["@odata.type"] = "#microsoft.graph.message", ["@odata.etag"] = all["@odata.etag"]!.DeepClone(), ["id"] = stored.Id };
        foreach (var (key, value) in all)
            if (select.Contains(key) && !picked.ContainsKey(key)) picked[key] = value?.DeepClone();
        return picked;
    }

    /// <summary>
    /// The message's attachments as Graph's fileAttachment resources: files and inline parts (a Content-Id), with their
    /// decoded size; <c>contentBytes</c> unless <c>$select</c> leaves it out. Ids are stable per message and part.
    /// </summary>
    public static List<JsonObject> Attachments(GraphStoredMessage stored, IReadOnlySet<string> select)
    {
        var mime = MimeMessage.Load(new MemoryStream(stored.Raw));
        var list = new List<JsonObject>();
        var index = 0;
        foreach (var part in mime.BodyParts.OfType<MimePart>().Where(p => p.IsAttachment || p.ContentId is not null && p is not TextPart))
        {
            using var content = new MemoryStream();
            part.Content?.DecodeTo(content);
            var all = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.fileAttachment",
                ["id"] = $"{stored.Id}-att{index++}",
                ["lastModifiedDateTime"] = Iso(stored.Received),
                ["name"] = part.FileName ?? part.ContentId ?? "attachment",
                ["contentType"] = part.ContentType.MimeType,
                ["size"] = content.Length,
                ["isInline"] = !part.IsAttachment,
                ["contentId"] = part.ContentId,
                ["contentBytes"] = Convert.ToBase64String(content.ToArray()),
            };
            if (select.Count == 0) list.Add(all);
            else
            {
                var picked = new JsonObject { ["@odata.type"] = "#microsoft.graph.fileAttachment", ["id"] = all["id"]!.DeepClone() };
                foreach (var (key, value) in all)
                    if (select.Contains(key) && !picked.ContainsKey(key)) picked[key] = value?.DeepClone();
                list.Add(picked);
            }
        }
        return list;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Preview(string? text)
    {
        var flat = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length > 255 ? flat[..255] : flat;
    }

    private static JsonNode? Recipient(MailboxAddress? address) => address is null ? null
        : new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = string.IsNullOrEmpty(address.Name) ? address.Address : address.Name, ["address"] = address.Address } };

    private static JsonArray Recipients(InternetAddressList list) => new(list.Mailboxes.Select(m => Recipient(m)).ToArray());
}
