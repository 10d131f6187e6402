"""Indexes for the handler's queues (queues/definitions.py): partial indexes of the open complaints,
and the priority sort."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0008_workspace_fields'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['priority', '-created_at', '-id'], name='complaint_priority_newest'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status', 'new'), ('status', 'assigned'), ('status', 'in_progress'), ('status', 'pending_customer'), _connector='OR'), fields=['-created_at', '-id'], name='complaint_open_newest'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status', 'new'), ('status', 'assigned'), ('status', 'in_progress'), ('status', 'pending_customer'), _connector='OR'), fields=['assignee', '-created_at'], name='complaint_open_assignee'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status', 'new'), ('status', 'assigned'), ('status', 'in_progress'), ('status', 'pending_customer'), _connector='OR'), fields=['group', '-created_at'], name='complaint_open_group'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status', 'new'), ('status', 'assigned'), ('status', 'in_progress'), ('status', 'pending_customer'), _connector='OR'), fields=['next_due_at', 'id'], name='complaint_open_due'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(condition=models.Q(('status', 'new'), ('status', 'assigned'), ('status', 'in_progress'), ('status', 'pending_customer'), _connector='OR'), fields=['priority', '-created_at', '-id'], name='complaint_open_priority'),
        ),
    ]
