//! Residents' and officials' markdown, rendered once when saved and then sanitized: what
//! reaches a page can carry no script, frame, style, event handler or `javascript:` link,
//! whatever was typed.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The HTML a page may show for `source`.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH;
    // HTML typed into the markdown is shown as the text it is, not interpreted; headings
    // start at h3, under the page's own h1 and h2.
    let events = Parser::new_ext(source, options).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: level.max(HeadingLevel::H3),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => {
            Event::End(TagEnd::Heading(level.max(HeadingLevel::H3)))
        }
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// Keeps only the elements and attributes of plain rich text; links open nothing but
/// http(s) and mail, and are marked as user content.
fn sanitize(html: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "em",
        "strong",
        "del",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer ugc"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_markdown_survives() {
        let html =
            render("**加粗** 和 *强调*\n\n- 一\n- 二\n\n[链接](https://example.gov.cn/a?b=1)");
        assert!(html.contains("<strong>加粗</strong>"), "{html}");
        assert!(html.contains("<em>强调</em>"));
        assert!(html.contains("<li>一</li>"));
        assert!(html.contains("href=\"https://example.gov.cn/a?b=1\""));
        assert!(html.contains("rel=\"nofollow noopener noreferrer ugc\""));
        // Headings sit under the page's own h1 and h2.
        assert_eq!(
            render("# 一\n\n## 二\n\n#### 四").trim(),
            "<h3>一</h3>\n<h3>二</h3>\n<h4>四</h4>"
        );
    }

    /// The inside of every tag in `html` (text's `<` is escaped, so these are real tags).
    fn tags_of(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
            .collect()
    }

    #[test]
    fn hostile_input_leaves_nothing_that_runs() {
        let hostile = [
            "<script>alert(1)</script>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "[点我](javascript:alert(1))",
            "[点我](JaVaScRiPt:alert(1))",
            "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<img src=x onerror=alert(1)>",
            "![图](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<form action=\"https://evil.example\"><input name=p></form>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<base href=\"https://evil.example/\">",
            "<<script>script>alert(1)<</script>/script>",
            "[x](vbscript:msgbox(1))",
            "<p onclick=\"alert(1)\">点</p>",
            "`<script>` in code is text",
        ];
        for input in hostile {
            let html = render(input);
            // Text may say anything (it is escaped); what matters is every real tag.
            for tag in tags_of(&html) {
                let name = tag
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                assert!(
                    ["p", "a", "em", "strong", "del", "code", "pre", "br", "li", "ul", "ol"]
                        .contains(&name.as_str()),
                    "{input:?} gave the tag <{tag}>"
                );
                let lower = tag.to_lowercase();
                for bad in ["javascript:", "vbscript:", "data:", " on", "style=", "src="] {
                    assert!(!lower.contains(bad), "{input:?} gave <{tag}>");
                }
            }
        }
        // Typed HTML is shown as text, not lost.
        assert!(render("<b>粗</b>").contains("&lt;b&gt;粗&lt;/b&gt;"));
    }
}
