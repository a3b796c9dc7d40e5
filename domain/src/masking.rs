//! Masking of personal data for responses and logs.

/// Keeps the first character of each word and masks the rest:
/// `Kim Minji` becomes `K** M****`, `김민지` becomes `김**`.
pub fn mask_name(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                std::iter::once(first)
                    .chain(chars.map(|_| '*'))
                    .collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Shows only the last four characters of an identifier (account or phone number):
/// every other digit becomes `*`, separators stay.
pub fn mask_all_but_last_four(value: &str) -> String {
    let digits = value.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 > digits { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_their_initials() {
        assert_eq!(mask_name("Kim Minji"), "K** M****");
        assert_eq!(mask_name("김민지"), "김**");
    }

    #[test]
    fn identifiers_show_only_their_last_four_digits() {
        assert_eq!(mask_all_but_last_four("123-456-789012"), "***-***-**9012");
        assert_eq!(mask_all_but_last_four("12"), "12");
    }
}
